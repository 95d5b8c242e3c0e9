using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors;

/// <summary>One labelled input of the evaluation set.</summary>
internal sealed record EvalSample(string Name, ContentType Label, string Text, string? Query = null, string? Language = null);
