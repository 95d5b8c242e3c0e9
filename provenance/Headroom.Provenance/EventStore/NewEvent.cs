namespace Headroom.Provenance.EventStore;

/// <summary>An event to append: its id (appending the same id twice is a no-op), type name and JSON payload.</summary>
public sealed record NewEvent(Guid Id, string Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>The object <see cref="Data"/> was serialized from, handed to inline projections so they need not parse it again.</summary>
    internal object? Payload { get; init; }
}
