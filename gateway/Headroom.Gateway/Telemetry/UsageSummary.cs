namespace Headroom.Gateway.Telemetry;

public sealed record UsageSummary(long Requests, long Errors, TokenUsage Usage, IReadOnlyList<ModelSummary> Models, IReadOnlyList<RequestRecord> Recent);
