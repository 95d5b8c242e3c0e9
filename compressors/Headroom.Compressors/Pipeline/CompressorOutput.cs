using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Pipeline;

/// <summary>
/// What a compressor returns. <see cref="Spans"/> covers <see cref="Output"/> from 0 to its
/// length without gaps; offsets are UTF-16 char indices into the input and output strings
/// (the pipeline lifts them to UTF-8 byte offsets for provenance).
/// </summary>
public sealed record CompressorOutput(string Output, IReadOnlyList<Span> Spans)
{
    /// <summary>True when something was dropped, so the output must carry a marker.</summary>
    public bool Lossy { get; init; }

    /// <summary>Which scorer ranked the units (prose: "bm25", "minilm", "model:NAME"), when the compressor has one.</summary>
    public string? Scorer { get; init; }

    /// <summary>Why the configured scorer was not used (over budget, busy, not loaded); null when it was.</summary>
    public string? ScorerFallback { get; init; }
}
