using System.Text.Json.Serialization;

namespace Headroom.Gateway.Telemetry;

/// <summary>Source-generated JSON for the telemetry views (camelCase, nulls omitted, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(GatewaySummary))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;
