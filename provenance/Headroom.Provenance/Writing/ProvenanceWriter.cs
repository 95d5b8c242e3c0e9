using System.Threading.Channels;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Writing;

/// <summary>
/// The single consumer of the event channel. Loop: (1) replay the spool when it has records and the
/// retry time has come, (2) wait for events (waking every retry interval while the spool waits),
/// (3) take up to a batch and append it in one transaction, or spool it when the store fails or is
/// known to be down. Appends are idempotent by event id, so replaying a half-stored batch is safe.
/// The loop is supervised: if it dies, the batch in hand is spooled and the loop starts again.
/// </summary>
internal sealed class ProvenanceWriter : IProvenanceWriter, IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly EventSpool _spool;
    private readonly Channel<ProvenanceEvent> _channel;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly TimeSpan _retryInterval;
    private readonly TimeSpan _gatherTime;
    private readonly Task _loop;
    private readonly List<ProvenanceEvent> _batch;
    private long _recorded;
    private long _atRisk;
    private long _restarts;
    // Set when the spool refuses events while the store is down; cleared only when the store takes a write again,
    // so a smaller batch that still fits under the spool's cap does not hide the events already lost.
    private volatile bool _spoolFailing;
    private long _done;
    private long _stored;
    private long _spooled;
    private long _replayed;
    private volatile bool _storeDown;
    private DateTimeOffset _retryAt;

    public ProvenanceWriter(IEventStore store, string spoolDirectory, int capacity, int batchSize, TimeSpan retryInterval, TimeProvider timeProvider, ILogger logger, long spoolMaxBytes = long.MaxValue, TimeSpan gatherTime = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _gatherTime = gatherTime;
        _store = store;
        _logger = logger;
        _time = timeProvider;
        _batchSize = batchSize;
        _retryInterval = retryInterval;
        _spool = new EventSpool(spoolDirectory, logger, spoolMaxBytes);
        _batch = new List<ProvenanceEvent>(batchSize);
        _channel = Channel.CreateBounded<ProvenanceEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(SuperviseAsync);
    }

    public ProvenanceWriterStats Stats => new(
        Interlocked.Read(ref _recorded),
        Interlocked.Read(ref _stored),
        Interlocked.Read(ref _spooled),
        Interlocked.Read(ref _replayed),
        _spool.HasPending,
        !_storeDown)
    {
        AtRisk = Interlocked.Read(ref _atRisk),
        Restarts = Interlocked.Read(ref _restarts),
        Degraded = _storeDown && _spoolFailing,
        SpoolBytes = _spool.Bytes,
    };

    public void Record(ProvenanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);

        // Misuse throws here, at the caller: an event without a stream would fail its whole batch later.
        ArgumentException.ThrowIfNullOrEmpty(e.RequestId, nameof(e));
        Interlocked.Increment(ref _recorded);
        if (_channel.Writer.TryWrite(e))
        {
            return;
        }

        // Channel full (or writer shut down): never drop, never wait on the database.
        SpoolNow([e], null);
        Interlocked.Increment(ref _done);
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _recorded);
        while (Interlocked.Read(ref _done) < target)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SuperviseAsync()
    {
        while (true)
        {
            try
            {
                await RunAsync().ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Whatever killed the loop, events keep flowing: restart it and say so.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _restarts);
                ProvenanceLog.WriterRestarted(_logger, ex);
                if (_batch.Count > 0)
                {
                    SpoolNow(_batch, ex);
                    Interlocked.Add(ref _done, _batch.Count);
                    _batch.Clear();
                }

                await Task.Delay(_retryInterval, _time).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = _batch;
        Task<bool>? waiting = null;
        while (true)
        {
            // 1. Replay what the store could not take earlier.
            if (_spool.HasPending && _time.GetUtcNow() >= _retryAt)
            {
                await ReplayAsync().ConfigureAwait(false);
            }

            // 2. Wait for events; while the spool waits, wake up to retry it.
            waiting ??= reader.WaitToReadAsync().AsTask();
            if (_spool.HasPending && !waiting.IsCompleted)
            {
                var delay = Task.Delay(_retryInterval, _time);
                if (await Task.WhenAny(waiting, delay).ConfigureAwait(false) != waiting)
                {
                    continue;
                }
            }

            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                break;
            }

            // 3. One batch, one transaction. A batch that starts short waits a moment for the events of
            //    the requests in flight: under load that is one transaction (one lock, one WAL commit) for
            //    many requests instead of one each.
            Drain(reader, batch);
            if (_gatherTime > TimeSpan.Zero && batch.Count < _batchSize)
            {
                await Task.Delay(_gatherTime).ConfigureAwait(false);
                Drain(reader, batch);
            }

            await PersistAsync(batch).ConfigureAwait(false);
            Interlocked.Add(ref _done, batch.Count);
            batch.Clear();
        }
    }

    private void Drain(ChannelReader<ProvenanceEvent> reader, List<ProvenanceEvent> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var e))
        {
            batch.Add(e);
        }
    }

    private async Task PersistAsync(List<ProvenanceEvent> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (_storeDown && _time.GetUtcNow() < _retryAt)
        {
            SpoolNow(batch, null);
            return;
        }

        try
        {
            await AppendAsync(batch).ConfigureAwait(false);
            Interlocked.Add(ref _stored, batch.Count);
            MarkUp();
        }
#pragma warning disable CA1031 // Telemetry never throws into traffic: any store failure spools instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MarkDown();
            SpoolNow(batch, ex);
        }
    }

    private async Task AppendAsync(IReadOnlyList<ProvenanceEvent> events)
    {
        var appends = RequestStreams.Group(events);
        try
        {
            await _store.AppendBatchAsync(appends).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            // Another writer stored some of these ids at the same moment: the retry skips them.
            await _store.AppendBatchAsync(appends).ConfigureAwait(false);
        }
    }

    private async Task ReplayAsync()
    {
        foreach (var path in _spool.Seal())
        {
            List<ProvenanceEvent> events;
            try
            {
                events = _spool.Read(path);
            }
#pragma warning disable CA1031 // Held by another process (its active segment: that process replays it), or unreadable.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ProvenanceLog.SpoolSegmentUnreadable(_logger, path, ex);
                _spool.Remove(path, delete: false);
                continue;
            }

            try
            {
                for (var i = 0; i < events.Count; i += _batchSize)
                {
                    await AppendAsync(events.GetRange(i, Math.Min(_batchSize, events.Count - i))).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // Still down: keep the segment, retry later.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                MarkDown();
                ProvenanceLog.SpoolReplayFailed(_logger, path, ex);
                return;
            }

            _spool.Remove(path, delete: true);
            Interlocked.Add(ref _replayed, events.Count);
            MarkUp();
            ProvenanceLog.SpoolReplayed(_logger, events.Count, path);
        }
    }

    /// <summary>The store took a write: it is up, and whatever the spool refused while it was down is in the past.</summary>
    private void MarkUp()
    {
        _storeDown = false;
        _spoolFailing = false;
    }

    private void MarkDown()
    {
        _storeDown = true;
        _retryAt = _time.GetUtcNow() + _retryInterval;
    }

    private void SpoolNow(IReadOnlyList<ProvenanceEvent> events, Exception? reason)
    {
        try
        {
            _spool.Append(events);
        }
#pragma warning disable CA1031 // Spool at its cap, disk full or unwritable: count what is at risk, never throw into the request path.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _spoolFailing = true;
            Interlocked.Add(ref _atRisk, events.Count);
            ProvenanceLog.SpoolWriteFailed(_logger, events.Count, ex);
            return;
        }

        Interlocked.Add(ref _spooled, events.Count);
        if (reason is not null)
        {
            ProvenanceLog.Spooling(_logger, events.Count, _spool.DirectoryPath, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_spool.HasPending && !_storeDown)
        {
            await ReplayAsync().ConfigureAwait(false);
        }

        _spool.Dispose();
    }
}
