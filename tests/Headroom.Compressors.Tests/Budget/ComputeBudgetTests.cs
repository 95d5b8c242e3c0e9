using Headroom.Compressors.Budget;
using Xunit;

namespace Headroom.Compressors.Tests.Budget;

/// <summary>
/// The compression budget counts the compressing thread's CPU time, so waiting for a core (a loaded
/// machine) does not turn a compression into "over budget"; the wall cap still ends work that waits too long.
/// </summary>
public sealed class ComputeBudgetTests
{
    [Fact]
    public void TimeSpentWaitingForACore_DoesNotUseTheBudget()
    {
        Assert.True(ThreadCpuClock.IsSupported, "thread CPU clocks are read through libc on Linux; this machine has none");
        using var budget = new ComputeBudget(TimeSpan.FromMilliseconds(50), wallCap: TimeSpan.FromMinutes(5));

        Thread.Sleep(300); // Six budgets of wall time, almost no CPU.

        Assert.False(budget.Exceeded, $"{budget.Cpu.TotalMilliseconds:F1} ms CPU, {budget.Wall.TotalMilliseconds:F0} ms wall");
        Assert.False(budget.Token.IsCancellationRequested);
    }

    [Fact]
    public void Work_PastItsCpuBudget_IsCancelled()
    {
        Assert.True(ThreadCpuClock.IsSupported, "thread CPU clocks are read through libc on Linux; this machine has none");
        using var budget = new ComputeBudget(TimeSpan.FromMilliseconds(30), wallCap: TimeSpan.FromMinutes(5));

        var spins = 0L;
        while (!budget.Token.IsCancellationRequested)
        {
            spins++;
        }

        Assert.True(budget.Cpu >= TimeSpan.FromMilliseconds(30), $"cancelled after {budget.Cpu.TotalMilliseconds:F1} ms CPU ({spins} spins)");
        Assert.True(budget.Exceeded);
    }

    [Fact]
    public void Work_PastTheWallCap_IsCancelled_EvenWithCpuLeft()
    {
        using var budget = new ComputeBudget(TimeSpan.FromSeconds(30), wallCap: TimeSpan.FromSeconds(30.2));
        using var budget2 = new ComputeBudget(TimeSpan.FromMilliseconds(20), wallCap: TimeSpan.FromMilliseconds(100));

        Assert.True(budget2.Token.WaitHandle.WaitOne(TimeSpan.FromMinutes(1)), "the wall cap never fired");
        Assert.True(budget2.Cpu < TimeSpan.FromMilliseconds(20), $"{budget2.Cpu.TotalMilliseconds:F1} ms CPU: the CPU budget fired, not the wall cap");
        Assert.False(budget.Exceeded);
    }
}
