namespace Headroom.Gateway.Telemetry;

/// <summary><c>GET /telemetry/summary</c>: totals, money, and the same by model, session and tool, plus the last 100 requests.</summary>
public sealed record GatewaySummary(
    long Requests,
    long Errors,
    TokenUsage Usage,
    CostTotals Cost,
    IReadOnlyList<ModelCostSummary> Models,
    IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<ToolSummary> Tools,
    IReadOnlyList<RequestRecord> Recent);
