namespace Headroom.Gateway.Hosting;

/// <summary>
/// <c>GET /healthz</c>. <see cref="Status"/> is <c>ok</c>, or <c>degraded</c> while provenance events
/// can be written nowhere (store down and spool refusing) or some were lost: traffic still flows.
/// </summary>
public sealed record HealthStatus(string Status, string Version, double UptimeSeconds, string AnthropicUpstream, string OpenAIUpstream, HealthStore Store)
{
    public string? GeminiUpstream { get; init; }
}

/// <summary>The provenance writer as an operator needs to see it.</summary>
public sealed record HealthStore(bool Available, bool SpoolPending, long SpoolBytes, long AtRisk, long WriterRestarts);
