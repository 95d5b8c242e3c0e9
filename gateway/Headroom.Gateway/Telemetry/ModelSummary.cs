using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Telemetry;

public sealed record ModelSummary(Provider Provider, string Model, long Requests, TokenUsage Usage);
