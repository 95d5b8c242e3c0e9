using System.Diagnostics;

namespace Headroom.Compressors.Budget;

/// <summary>
/// The compression budget of one call, counted in CPU time of the thread that compresses, with a cap on
/// wall time. A wall-clock budget made the same input compress on a quiet machine and go out uncompressed on
/// a loaded one (on 2 cores at load 18, 9 of 13 logs ran over 50 ms of wall time with 30 ms p50 of CPU);
/// counting the work itself gives the same decision whatever the load, and the wall cap still bounds the
/// latency a request can be given. Elsewhere than Linux it is a plain wall-clock budget.
/// Create it on the thread that will do the work, and dispose it there.
/// </summary>
internal sealed class ComputeBudget : IDisposable
{
    private static readonly TimeSpan MinimumRecheck = TimeSpan.FromMilliseconds(1);
    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeSpan _cpuBudget;
    private readonly TimeSpan _wallCap;
    private readonly int _clock;
    private readonly bool _countsCpu;
    private readonly TimeSpan _cpuStart;
    private readonly long _wallStart = Stopwatch.GetTimestamp();
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public ComputeBudget(TimeSpan cpuBudget, TimeSpan wallCap)
    {
        _cpuBudget = cpuBudget;
        _wallCap = wallCap < cpuBudget ? cpuBudget : wallCap;
        _countsCpu = ThreadCpuClock.IsSupported;
        if (_countsCpu)
        {
            _clock = ThreadCpuClock.CurrentThreadClock();
            _cpuStart = ThreadCpuClock.Read(_clock);
        }

        // Armed only once assigned: a callback that ran before the field was set would throw on the timer thread (process crash).
        _timer = new Timer(static state => ((ComputeBudget)state!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(cpuBudget, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>True once the work has used its CPU budget or the wall cap.</summary>
    public bool Exceeded => _cancel.IsCancellationRequested || Cpu > _cpuBudget || Wall > _wallCap;

    /// <summary>CPU time the work has used so far (wall time where thread CPU time cannot be read).</summary>
    public TimeSpan Cpu => _countsCpu ? ThreadCpuClock.Read(_clock) - _cpuStart : Wall;

    public TimeSpan Wall => Stopwatch.GetElapsedTime(_wallStart);

    /// <summary>CPU time left before the budget runs out (negative once it has).</summary>
    public TimeSpan CpuLeft => _cpuBudget - Cpu;

    /// <summary>Wall time left before the wall cap.</summary>
    public TimeSpan WallLeft => _wallCap - Wall;

    private void Check()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return; // The thread may be gone; its clock is not read after Dispose.
            }

            var cpuLeft = _cpuBudget - Cpu;
            var wallLeft = _wallCap - Wall;
            if (cpuLeft <= TimeSpan.Zero || wallLeft <= TimeSpan.Zero)
            {
                _cancel.Cancel();
                return;
            }

            // The work cannot use more CPU than wall time passes, so the next look is when either could run out.
            var next = cpuLeft < wallLeft ? cpuLeft : wallLeft;
            _timer.Change(next < MinimumRecheck ? MinimumRecheck : next, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _cancel.Dispose();
    }
}
