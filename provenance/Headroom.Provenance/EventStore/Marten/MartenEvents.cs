using System.Text.Json;
using Headroom.Provenance.Events;
using JasperFx.Events;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>Maps the store's events to what Marten appends and back: provenance events as their own classes, others opaque.</summary>
internal static class MartenEvents
{
    /// <summary>The event classes Marten knows, under the type names the store has always used.</summary>
    public static readonly (Type Type, string Alias)[] Aliases =
    [
        (typeof(RequestCompleted), EventSerializer.RequestCompletedType),
        (typeof(RequestReceived), EventSerializer.RequestReceivedType),
        (typeof(ContextComposed), EventSerializer.ContextComposedType),
        (typeof(UpstreamCompleted), EventSerializer.UpstreamCompletedType),
        (typeof(RetrievalServed), EventSerializer.RetrievalServedType),
        (typeof(RequestAccounted), EventSerializer.RequestAccountedType),
        (typeof(OpaqueEvent), OpaqueEvent.Alias),
    ];

    /// <summary>The object to append for <paramref name="e"/>, keeping its id (it makes appends idempotent).</summary>
    public static IEvent ToAppend(IEventRegistry registry, NewEvent e)
    {
        var data = e.Payload as ProvenanceEvent ?? EventSerializer.Deserialize(e.Type, e.Data.Span) ?? (object)ToOpaque(e);
        var built = registry.BuildEvent(data);
        built.Id = e.Id;
        return built;
    }

    /// <summary>
    /// The event as projections see it. <see cref="RecordedEvent.Payload"/> carries the object; <see cref="RecordedEvent.Data"/>
    /// is filled only for opaque events (projections read typed events through <see cref="EventSerializer.Deserialize(RecordedEvent)"/>).
    /// </summary>
    public static RecordedEvent ToRecorded(IEvent e) => e.Data is OpaqueEvent opaque
        ? new RecordedEvent(e.Sequence, e.Id, e.StreamKey!, e.Version, opaque.Type, JsonSerializer.SerializeToUtf8Bytes(opaque.Data), e.Timestamp)
        : new RecordedEvent(e.Sequence, e.Id, e.StreamKey!, e.Version, e.EventTypeName, ReadOnlyMemory<byte>.Empty, e.Timestamp) { Payload = e.Data };

    private static OpaqueEvent ToOpaque(NewEvent e)
    {
        using var parsed = JsonDocument.Parse(e.Data);
        return new OpaqueEvent(e.Type, parsed.RootElement.Clone());
    }
}
