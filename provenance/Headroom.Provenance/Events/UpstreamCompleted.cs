namespace Headroom.Provenance.Events;

/// <summary>The upstream call finished: status, usage and timings.</summary>
public sealed record UpstreamCompleted : ProvenanceEvent
{
    public int Status { get; init; }

    public TokenUsage Usage { get; init; } = TokenUsage.Empty;

    public string? ResponseModel { get; init; }

    public double TtfbMs { get; init; }

    public double TotalMs { get; init; }

    /// <summary>Time the gateway itself added (parsing, compression, splicing).</summary>
    public double OverheadMs { get; init; }
}
