using Headroom.Provenance;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Hosting;

/// <summary>Deletes originals past their retention once an hour.</summary>
internal sealed partial class OriginalsSweeper : BackgroundService
{
    private readonly ProvenanceStore _store;
    private readonly ILogger<OriginalsSweeper> _logger;

    public OriginalsSweeper(ProvenanceStore store, ILogger<OriginalsSweeper> logger)
    {
        _store = store;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                var deleted = await _store.SweepExpiredOriginalsAsync(stoppingToken).ConfigureAwait(false);
                if (deleted > 0)
                {
                    Swept(_logger, deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SweepFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Deleted {Count} expired originals.")]
    private static partial void Swept(ILogger logger, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Sweeping expired originals failed; will retry in an hour. Check the store (Headroom:Store).")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
