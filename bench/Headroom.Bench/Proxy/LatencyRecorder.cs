namespace Headroom.Bench.Proxy;

/// <summary>Lock-free latency sink (milliseconds) sized up front so recording never allocates.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly double[] _samples = new double[capacity];
    private int _count;
    private long _errors;
    private string? _firstError;

    public int Count => Math.Min(Volatile.Read(ref _count), _samples.Length);

    /// <summary>Successful requests, including any beyond the sample capacity.</summary>
    public int Succeeded => Volatile.Read(ref _count);

    public long Errors => Interlocked.Read(ref _errors);

    public string? FirstError => Volatile.Read(ref _firstError);

    public void Add(double milliseconds)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _samples.Length)
        {
            _samples[slot] = milliseconds;
        }
    }

    public void Fail(string why)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, why, null);
    }

    public LatencyStats Stats()
    {
        var sorted = _samples.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        return new LatencyStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), Errors);
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
