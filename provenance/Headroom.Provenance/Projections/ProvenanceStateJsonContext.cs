using System.Text.Json.Serialization;

namespace Headroom.Provenance.Projections;

/// <summary>Source-generated JSON for internal projection documents.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelemetryState))]
[JsonSerializable(typeof(CompletedFigures))] // what CompletedFigures.Read is held to (tests)
internal sealed partial class ProvenanceStateJsonContext : JsonSerializerContext;
