namespace Headroom.Bench.Proxy;

/// <summary>What one target measured: the time to the end of each answer, and to its first body byte.</summary>
internal sealed class Probe(int capacity)
{
    /// <summary>Request sent to last response byte read; failures (status, length, transport) are counted here.</summary>
    public LatencyRecorder Total { get; } = new(capacity);

    /// <summary>Request sent to first response body byte read (successful requests only).</summary>
    public LatencyRecorder FirstByte { get; } = new(capacity);
}
