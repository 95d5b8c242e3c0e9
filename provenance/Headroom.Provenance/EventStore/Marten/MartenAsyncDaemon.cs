using Headroom.Provenance.Projections;
using JasperFx.Events.Daemon;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// Marten's async daemon for the store's async projections (the telemetry summary). It tracks the high-water
/// mark itself (never passing a sequence gap left by a transaction in flight) and saves each projection's
/// progress in the transaction that writes its documents.
/// </summary>
internal sealed class MartenAsyncDaemon(MartenDatabase database) : IAsyncProjections
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IProjectionDaemon? _daemon;
    private bool _running;

    public async Task StartAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var daemon = await GetAsync(cancellationToken).ConfigureAwait(false);
        await daemon.StartAllAsync().ConfigureAwait(false);
        _running = true;
    }

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var daemon = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (_running)
        {
            await daemon.WaitForNonStaleData(CatchUpTimeout).ConfigureAwait(false);
        }
        else
        {
            await daemon.CatchUpAsync(CatchUpTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IProjectionDaemon> GetAsync(CancellationToken cancellationToken)
    {
        if (_daemon is { } built)
        {
            return built;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _daemon ??= await database.Store.BuildProjectionDaemonAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is { } daemon)
        {
            if (_running)
            {
                await daemon.StopAllAsync().ConfigureAwait(false);
            }

            daemon.Dispose();
        }

        _gate.Dispose();
    }
}
