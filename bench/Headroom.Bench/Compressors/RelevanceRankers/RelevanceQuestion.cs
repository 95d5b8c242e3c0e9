namespace Headroom.Bench.Compressors.RelevanceRankers;

/// <summary>A question whose answer lives in one ordinary JSON item or one grep hit; <paramref name="Answer"/>
/// is the text that must still be in the output (a value unique to the item, or the whole hit line).</summary>
internal sealed record RelevanceQuestion(string Kind, string Source, string Input, string Question, string Answer, string Id);
