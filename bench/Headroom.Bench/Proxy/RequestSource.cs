namespace Headroom.Bench.Proxy;

/// <summary>
/// The bodies one target is sent: one body again and again (each worker gets its own content), or a new
/// body for every request, made from a seed that counts up (fresh tool outputs the gateway has never
/// seen: deterministic, and never repeated within one source).
/// </summary>
internal sealed class RequestSource
{
    private readonly Func<long, BenchContent> _make;
    private long _next;

    private RequestSource(Func<long, BenchContent> make, bool freshEachRequest, long firstSeed)
    {
        _make = make;
        FreshEachRequest = freshEachRequest;
        FirstSeed = firstSeed;
        _next = firstSeed;
    }

    public bool FreshEachRequest { get; }

    public long FirstSeed { get; }

    /// <summary>Contents made so far (fresh sources: the requests made).</summary>
    public long Made => Interlocked.Read(ref _next) - FirstSeed;

    public static RequestSource Fixed(Func<BenchContent> make) => new(_ => make(), freshEachRequest: false, 0);

    /// <summary>A new body per request from seeds <paramref name="firstSeed"/>, <paramref name="firstSeed"/> + 1, ...</summary>
    public static RequestSource Fresh(Func<long, BenchContent> make, long firstSeed) => new(make, freshEachRequest: true, firstSeed);

    /// <summary>A content: a new copy of the fixed body, or the body of the next seed.</summary>
    public BenchContent Next() => _make(Interlocked.Increment(ref _next) - 1);
}
