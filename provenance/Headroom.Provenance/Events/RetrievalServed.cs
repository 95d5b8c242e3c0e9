namespace Headroom.Provenance.Events;

/// <summary>An original was served back to an agent (retrieve tool or /v1/retrieve).</summary>
public sealed record RetrievalServed : ProvenanceEvent
{
    public required string Hash { get; init; }

    public bool Found { get; init; }

    public int Bytes { get; init; }

    /// <summary>"tool" (headroom_retrieve inside a request) or "http".</summary>
    public string? Via { get; init; }
}
