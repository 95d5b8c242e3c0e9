using System.Text.Json;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Events;

/// <summary>Maps provenance events to stored type names and source-generated JSON, and back.</summary>
public static class EventSerializer
{
    public const string RequestReceivedType = "request_received";
    public const string ContextComposedType = "context_composed";
    public const string UpstreamCompletedType = "upstream_completed";
    public const string RetrievalServedType = "retrieval_served";
    public const string RequestAccountedType = "request_accounted"; // the telemetry feed, before request_completed
    public const string RequestCompletedType = "request_completed"; // one per request: received + context + upstream + accounting

    public static NewEvent ToNewEvent(ProvenanceEvent e)
    {
        var (type, data) = Serialize(e);
        return new NewEvent(e.EventId, type, data) { Payload = e };
    }

    public static (string Type, byte[] Data) Serialize(ProvenanceEvent e) => e switch
    {
        RequestCompleted c => (RequestCompletedType, JsonSerializer.SerializeToUtf8Bytes(c, ProvenanceJsonContext.Default.RequestCompleted)),
        RequestReceived r => (RequestReceivedType, JsonSerializer.SerializeToUtf8Bytes(r, ProvenanceJsonContext.Default.RequestReceived)),
        ContextComposed c => (ContextComposedType, JsonSerializer.SerializeToUtf8Bytes(c, ProvenanceJsonContext.Default.ContextComposed)),
        UpstreamCompleted u => (UpstreamCompletedType, JsonSerializer.SerializeToUtf8Bytes(u, ProvenanceJsonContext.Default.UpstreamCompleted)),
        RetrievalServed s => (RetrievalServedType, JsonSerializer.SerializeToUtf8Bytes(s, ProvenanceJsonContext.Default.RetrievalServed)),
        RequestAccounted a => (RequestAccountedType, JsonSerializer.SerializeToUtf8Bytes(a, ProvenanceJsonContext.Default.RequestAccounted)),
        _ => throw new ArgumentException($"Unknown provenance event type {e.GetType().Name}.", nameof(e)),
    };

    /// <summary>The event, or null for a type this version does not know (newer writers may add types).</summary>
    public static ProvenanceEvent? Deserialize(string type, ReadOnlySpan<byte> data) => type switch
    {
        RequestCompletedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.RequestCompleted),
        RequestReceivedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.RequestReceived),
        ContextComposedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.ContextComposed),
        UpstreamCompletedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.UpstreamCompleted),
        RetrievalServedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.RetrievalServed),
        RequestAccountedType => JsonSerializer.Deserialize(data, ProvenanceJsonContext.Default.RequestAccounted),
        _ => null,
    };

    public static ProvenanceEvent? Deserialize(RecordedEvent e) => e.Payload as ProvenanceEvent ?? Deserialize(e.Type, e.Data.Span);
}
