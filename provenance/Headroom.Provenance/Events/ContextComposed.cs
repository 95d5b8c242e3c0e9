namespace Headroom.Provenance.Events;

/// <summary>
/// The context the gateway forwarded: one entry per message block. Written on its own by stores before
/// <see cref="RequestCompleted"/> (which extends it and now carries the blocks).
/// </summary>
public record ContextComposed : ProvenanceEvent
{
    public required IReadOnlyList<ContextBlock> Blocks { get; init; }
}
