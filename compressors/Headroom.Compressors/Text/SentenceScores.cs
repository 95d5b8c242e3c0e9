namespace Headroom.Compressors.Text;

/// <summary>Scores of one call, the scorer that produced them, and why a preferred scorer was not used (null when it was).</summary>
internal readonly record struct SentenceScores(double[] Scores, string Scorer, string? Fallback);
