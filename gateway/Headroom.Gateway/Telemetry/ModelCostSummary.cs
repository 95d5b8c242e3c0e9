using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Telemetry;

/// <summary>One model's totals with money in <c>/telemetry/summary</c>.</summary>
public sealed record ModelCostSummary(Provider Provider, string Model, long Requests, TokenUsage Usage, CostTotals Cost);
