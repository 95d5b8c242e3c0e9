using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Hosting;

/// <summary>Hands freed C-heap memory back to the system every <see cref="Interval"/> (see <see cref="NativeHeap"/>).</summary>
internal sealed partial class NativeHeapTrimmer(ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!NativeHeap.Trim())
            {
                TrimUnavailable(logger);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "The C library cannot trim its heap here (not glibc); native memory is left to it.")]
    private static partial void TrimUnavailable(ILogger logger);
}
