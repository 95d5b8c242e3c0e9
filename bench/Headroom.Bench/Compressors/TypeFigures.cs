using Headroom.Bench.Compressors.Oracles;

namespace Headroom.Bench.Compressors;

/// <summary>Evaluation figures of one content type on one side of its split.</summary>
internal sealed record TypeFigures(string Type, string Split, IReadOnlyList<SampleFigures> Samples)
{
    public long TokensBefore => Samples.Sum(s => s.TokensBefore);

    public double SavedProduction => Saved(Samples.Sum(s => s.TokensAfterProduction));

    public double SavedUnlimited => Saved(Samples.Sum(s => s.TokensAfterUnlimited));

    public Retained RetainedProduction => Samples.Aggregate(Retained.None, (a, s) => a + s.Production);

    public Retained RetainedUnlimited => Samples.Aggregate(Retained.None, (a, s) => a + s.Unlimited);

    public int TimedOut => Samples.Count(s => s.TimedOut);

    private double Saved(long after) => TokensBefore == 0 ? 0 : 100.0 * (TokensBefore - after) / TokensBefore;
}
