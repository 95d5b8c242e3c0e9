namespace Headroom.Bench.Proxy;

/// <summary>Summary of one target in one phase (milliseconds).</summary>
internal readonly record struct LatencyStats(int Count, double P50, double P99, long Errors);
