namespace Headroom.Bench.Proxy;

/// <summary>One target of a phase: where its requests go and which bodies they carry.</summary>
internal readonly record struct BenchTarget(Uri Address, RequestSource Source);
