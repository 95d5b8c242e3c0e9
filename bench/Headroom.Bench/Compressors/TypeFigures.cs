using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors;

/// <summary>Evaluation figures for one content type.</summary>
internal sealed record TypeFigures(
    ContentType Type, int Samples, int Compressed, long TokensBefore, long TokensAfter, int MustKeep, int Kept, double P50Ms, double P99Ms)
{
    public double SavedPercent => TokensBefore == 0 ? 0 : 100.0 * (TokensBefore - TokensAfter) / TokensBefore;

    public double RetentionPercent => MustKeep == 0 ? 100 : 100.0 * Kept / MustKeep;
}
