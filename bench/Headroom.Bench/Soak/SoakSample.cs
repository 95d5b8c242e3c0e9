using Headroom.Bench.Proxy;

namespace Headroom.Bench.Soak;

/// <summary>One point of the soak curve: requests answered so far, the gateway's memory from /proc and its GC figures.</summary>
internal readonly record struct SoakSample(long Requests, long Sessions, double Seconds, ProcessMemory Memory, RuntimeMetrics Runtime, double DataMb);
