namespace Headroom.Gateway.Hosting;

public sealed record HealthStatus(string Status, string Version, double UptimeSeconds, string AnthropicUpstream, string OpenAIUpstream);
