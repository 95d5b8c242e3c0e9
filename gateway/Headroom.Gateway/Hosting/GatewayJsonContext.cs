using System.Text.Json.Serialization;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Hosting;

/// <summary>Source-generated JSON for everything the gateway serves itself (no reflection at runtime).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(UsageSummary))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(IReadOnlyList<Headroom.Gateway.Retrieval.RetrievalRate>))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
