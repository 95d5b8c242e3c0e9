using System.Collections.Concurrent;
using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>
/// What the scripted upstream received under one <c>x-bench-tag</c>: requests, bytes, and for each request
/// whether its body arrived shorter than, as long as, or longer than the bench sent it (<c>x-bench-sent</c>).
/// The gateway's changes as seen from outside it, request by request, under any concurrency.
/// </summary>
internal sealed class UpstreamTally
{
    private static readonly ConcurrentDictionary<string, UpstreamTally> ByTag = new(StringComparer.Ordinal);
    private long _requests;
    private long _received;
    private long _sent;
    private long _shorter;
    private long _same;
    private long _longer;

    public static UpstreamTally For(string tag) => ByTag.GetOrAdd(tag, static _ => new UpstreamTally());

    public long Requests => Interlocked.Read(ref _requests);

    public long ReceivedBytes => Interlocked.Read(ref _received);

    public long SentBytes => Interlocked.Read(ref _sent);

    public long Shorter => Interlocked.Read(ref _shorter);

    public long Same => Interlocked.Read(ref _same);

    public long Longer => Interlocked.Read(ref _longer);

    public void Record(long received, long sent)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _received, received);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Increment(ref received < sent ? ref _shorter : ref received == sent ? ref _same : ref _longer);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Requests} requests, {SentBytes / 1024.0:0} KB sent, {ReceivedBytes / 1024.0:0} KB forwarded ({(SentBytes == 0 ? double.NaN : (double)ReceivedBytes / SentBytes):P1}); per request {Shorter} shorter / {Same} byte-length equal / {Longer} longer");
}
