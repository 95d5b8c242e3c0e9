namespace Headroom.Gateway.Hosting;

/// <summary>
/// <c>GET /healthz</c>. <see cref="Status"/> is <c>ok</c>, or <c>degraded</c> while provenance events
/// can be written nowhere (store down and spool refusing) or some were lost: traffic still flows.
/// </summary>
public sealed record HealthStatus(string Status, string Version, double UptimeSeconds, string AnthropicUpstream, string OpenAIUpstream, HealthStore Store)
{
    public string? GeminiUpstream { get; init; }

    /// <summary>The prose scorer: what was configured, what decides, whether the model loaded and why not.</summary>
    public HealthScorer? Scorer { get; init; }
}

/// <summary>The prose scorer as an operator needs to see it (README "Models").</summary>
public sealed record HealthScorer(string Requested, string Active, bool ModelLoaded, string? Error);

/// <summary>The provenance writer as an operator needs to see it.</summary>
public sealed record HealthStore(bool Available, bool SpoolPending, long SpoolBytes, long AtRisk, long WriterRestarts);
