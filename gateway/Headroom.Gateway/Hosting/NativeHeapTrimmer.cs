using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Hosting;

/// <summary>
/// Hands freed C-heap memory back to the system every <see cref="Interval"/> (see <see cref="NativeHeap"/>).
/// At 30 s a soak (10k sessions) peaked with 14 MB of freed native memory still resident; at 5 s it does
/// not build up. A trim takes about 6 ms when 30 MB of freed chunks lie scattered through the heap and
/// microseconds when little was freed since the last one (measured with malloc_trim on glibc 2.36).
/// </summary>
internal sealed partial class NativeHeapTrimmer(ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

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
