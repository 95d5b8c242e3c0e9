namespace Headroom.Provenance.Events;

/// <summary>The context the gateway forwarded: one entry per message block.</summary>
public sealed record ContextComposed : ProvenanceEvent
{
    public required IReadOnlyList<ContextBlock> Blocks { get; init; }
}
