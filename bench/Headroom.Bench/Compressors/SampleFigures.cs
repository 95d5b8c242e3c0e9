using Headroom.Bench.Compressors.Oracles;

namespace Headroom.Bench.Compressors;

/// <summary>One sample compressed at the production budget and without a budget, graded by its oracle.</summary>
internal sealed record SampleFigures(
    string Name, string Split, long TokensBefore, long TokensAfterProduction, long TokensAfterUnlimited,
    bool TimedOut, Retained Production, Retained Unlimited, double CpuMs);
