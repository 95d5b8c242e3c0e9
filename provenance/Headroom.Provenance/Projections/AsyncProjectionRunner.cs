using Headroom.Provenance.EventStore;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Runs async projections up to the high-water mark, a page at a time; each page is applied and the
/// projection's progress moved compare-and-set in one transaction, so several replicas can run it
/// and each page is applied once.
/// </summary>
internal sealed class AsyncProjectionRunner : IAsyncProjections
{
    private readonly IEventStore _events;
    private readonly IProjectionStore _store;
    private readonly IReadOnlyList<IProjection> _projections;
    private readonly HighWaterMarkDetector _detector;
    private readonly ILogger _logger;
    private readonly int _pageSize;
    private readonly RecentAppends? _recent;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private bool _started;

    public AsyncProjectionRunner(IEventStore events, IProjectionStore store, IReadOnlyList<IProjection> projections, TimeProvider timeProvider, TimeSpan settleTime, ILogger logger, int pageSize = 1000, RecentAppends? recent = null)
    {
        _recent = recent;
        _events = events;
        _store = store;
        _projections = projections;
        _detector = new HighWaterMarkDetector(store, timeProvider, settleTime, logger);
        _logger = logger;
        _pageSize = pageSize;
    }

    public long HighWaterMark => _detector.Mark;

    /// <summary>Brings every projection up to the current high-water mark; returns how many events were applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_started)
            {
                var lowest = long.MaxValue;
                foreach (var projection in _projections)
                {
                    lowest = Math.Min(lowest, await _store.ReadProgressAsync(projection.Name, cancellationToken).ConfigureAwait(false));
                }

                _detector.FastForward(lowest == long.MaxValue ? 0 : lowest);
                _started = true;
            }

            var mark = await _detector.DetectAsync(cancellationToken).ConfigureAwait(false);
            var applied = 0;
            foreach (var projection in _projections)
            {
                applied += await CatchUpAsync(projection, mark, cancellationToken).ConfigureAwait(false);
            }

            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> CatchUpAsync(IProjection projection, long mark, CancellationToken cancellationToken)
    {
        var applied = 0;
        var progress = await _store.ReadProgressAsync(projection.Name, cancellationToken).ConfigureAwait(false);
        while (progress < mark)
        {
            // This process's own recent appends come from memory; a page holding anything else is read from the store.
            var events = _recent?.TryRead(progress, mark, _pageSize)
                ?? (await _events.ReadAllAsync(progress, _pageSize, cancellationToken).ConfigureAwait(false)).Where(e => e.Sequence <= mark).ToList();

            // A full page ends at its last event; a short one covers everything up to the mark (skipped gaps included).
            var next = events.Count == _pageSize ? events[^1].Sequence : mark;
            if (await _store.TryApplyAsync(projection, progress, next, events, cancellationToken).ConfigureAwait(false))
            {
                applied += events.Count;
                progress = next;
            }
            else
            {
                // Another runner moved it: continue from where it got to.
                progress = await _store.ReadProgressAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            }
        }

        return applied;
    }

    Task IAsyncProjections.StartAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        Start(pollInterval);
        return Task.CompletedTask;
    }

    Task IAsyncProjections.CatchUpAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    public void Start(TimeSpan pollInterval)
    {
        _loop ??= Task.Run(() => LoopAsync(pollInterval, _stopping.Token));
    }

    private async Task LoopAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The runner must outlive a database outage; it logs and retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ProvenanceLog.ProjectionFailed(_logger, "async", ex);
                try
                {
                    await Task.Delay(pollInterval * 4, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _gate.Dispose();
    }
}
