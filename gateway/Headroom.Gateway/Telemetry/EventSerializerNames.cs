namespace Headroom.Gateway.Telemetry;

/// <summary>Stored type names of provenance events the gateway reads back (mirrors the provenance serializer).</summary>
internal static class EventSerializerNames
{
    public const string RequestCompleted = "request_completed";
    public const string RequestAccounted = "request_accounted";
}
