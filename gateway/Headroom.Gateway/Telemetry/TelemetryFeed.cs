using System.Text.Json;
using Headroom.Provenance;
using Headroom.Provenance.Events;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// The agent-readable feed over the event store: the accounted requests after a cursor (the global
/// sequence), in order: <see cref="RequestCompleted"/> events with an account, and the
/// <see cref="RequestAccounted"/> events stores written before it hold. It survives restarts because it is the store. Long-polling re-reads
/// every <see cref="PollInterval"/> until a line arrives or the wait ends.
/// </summary>
internal sealed class TelemetryFeed
{
    public const int MaxLimit = 1000;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private const int ScanBatch = 512;

    private readonly ProvenanceStore _store;

    public TelemetryFeed(ProvenanceStore store) => _store = store;

    public async Task<FeedPage> ReadAsync(long after, int limit, TimeSpan wait, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var page = await ScanAsync(after, limit, cancellationToken).ConfigureAwait(false);
            if (page.Lines.Count > 0 || System.Diagnostics.Stopwatch.GetElapsedTime(started) >= wait)
            {
                return page;
            }

            after = page.Cursor;
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Up to <paramref name="limit"/> lines after <paramref name="after"/>; the cursor moves past scanned non-feed events too.</summary>
    private async Task<FeedPage> ScanAsync(long after, int limit, CancellationToken cancellationToken)
    {
        var lines = new List<byte[]>();
        var cursor = Math.Max(0, after);
        while (lines.Count < limit)
        {
            var events = await _store.Events.ReadAllAsync(cursor, ScanBatch, cancellationToken).ConfigureAwait(false);
            foreach (var e in events)
            {
                if (Accounted(e) is { } accounted)
                {
                    lines.Add(FeedLine.Write(e.Sequence, accounted));
                }

                cursor = e.Sequence;
                if (lines.Count == limit)
                {
                    break;
                }
            }

            if (events.Count < ScanBatch)
            {
                break;
            }
        }

        return new FeedPage(lines, cursor);
    }

    /// <summary>The feed line's source in <paramref name="e"/>, or null when it is not an accounted request.</summary>
    private static RequestAccounted? Accounted(Provenance.EventStore.RecordedEvent e) => e.Type switch
    {
        EventSerializerNames.RequestCompleted => (EventSerializer.Deserialize(e) as RequestCompleted)?.ToAccounted(),
        EventSerializerNames.RequestAccounted => EventSerializer.Deserialize(e) as RequestAccounted,
        _ => null,
    };
}
