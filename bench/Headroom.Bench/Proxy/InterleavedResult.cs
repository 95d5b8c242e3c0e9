namespace Headroom.Bench.Proxy;

/// <summary>What an interleaved phase measured, per target in the order given; seconds of the measured rounds.</summary>
internal sealed record InterleavedResult(Probe[] Warmup, Probe[] Measured, double Seconds);
