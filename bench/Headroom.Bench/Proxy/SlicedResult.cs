namespace Headroom.Bench.Proxy;

/// <summary>What a sliced concurrent phase measured, per target in the order given: the samples, the
/// seconds of that target's slices, and the gateway process's CPU time during them.</summary>
internal sealed record SlicedResult(Probe[] Probes, double[] Seconds, TimeSpan[] GatewayCpu)
{
    public double RequestsPerSecond(int target) => Probes[target].Total.Succeeded / Seconds[target];

    /// <summary>Gateway CPU per request served during the target's slices, in µs (0 when no process was read).</summary>
    public double CpuMicrosecondsPerRequest(int target) =>
        GatewayCpu[target].TotalMilliseconds * 1000 / Math.Max(1, Probes[target].Total.Succeeded + Probes[target].Total.Errors);
}
