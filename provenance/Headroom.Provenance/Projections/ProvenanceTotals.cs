namespace Headroom.Provenance.Projections;

/// <summary>Context tokens before and after compression for one request.</summary>
public sealed record ProvenanceTotals(long TokensBefore, long TokensAfter)
{
    public static ProvenanceTotals Empty { get; } = new(0, 0);

    public long TokensSaved => TokensBefore - TokensAfter;
}
