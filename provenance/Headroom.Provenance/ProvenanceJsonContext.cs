using System.Text.Json.Serialization;
using Headroom.Provenance.Events;
using Headroom.Provenance.Projections;

namespace Headroom.Provenance;

/// <summary>
/// Source-generated JSON for events and views (no reflection): camelCase, nulls omitted. The gateway
/// serializes views with it, e.g. <c>ProvenanceJsonContext.Default.RequestProvenance</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestCompleted))]
[JsonSerializable(typeof(RequestReceived))]
[JsonSerializable(typeof(ContextComposed))]
[JsonSerializable(typeof(UpstreamCompleted))]
[JsonSerializable(typeof(RetrievalServed))]
[JsonSerializable(typeof(RequestAccounted))]
[JsonSerializable(typeof(RequestProvenance))]
[JsonSerializable(typeof(TelemetrySummary))]
public sealed partial class ProvenanceJsonContext : JsonSerializerContext;
