using Headroom.Compressors.Models.Budget;
using Xunit;

namespace Headroom.Compressors.Models.Tests.Budget;

public sealed class ModelGateTests
{
    [Fact]
    public void TryRun_EstimateOverBudget_DoesNotRun()
    {
        using var gate = new ModelGate(new ModelScorerOptions { Budget = TimeSpan.FromMilliseconds(40) }) { MsPerToken = 0.1 };
        bool ran = false;
        string? fallback = gate.TryRun(401, CancellationToken.None, _ => ran = true);

        Assert.False(ran);
        Assert.Equal("estimated 40 ms for 401 tokens > budget 40 ms", fallback);
        Assert.Null(gate.TryRun(399, CancellationToken.None, _ => ran = true));
        Assert.True(ran);
    }

    [Fact]
    public void TryRun_NoFreeSlot_FallsBackAtOnce()
    {
        using var gate = new ModelGate(new ModelScorerOptions { Budget = TimeSpan.FromMinutes(5), MaxConcurrency = 1 });
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => gate.TryRun(1, CancellationToken.None, _ =>
        {
            inside.Set();
            release.Wait();
        }));
        inside.Wait();
        string? second = gate.TryRun(1, CancellationToken.None, _ => { });
        release.Set();

        Assert.Equal("model busy (concurrency limit)", second);
        Assert.Null(first.Result);
        Assert.Null(gate.TryRun(1, CancellationToken.None, _ => { })); // the slot came back
    }

    [Fact]
    public void TryRun_PastTheDeadline_AsksTheRunToTerminate_AndFallsBack()
    {
        using var gate = new ModelGate(new ModelScorerOptions { Budget = TimeSpan.FromMilliseconds(20) });
        bool terminated = false;
        string? fallback = gate.TryRun(1, CancellationToken.None, run =>
        {
            SpinWait.SpinUntil(() => run.Terminate);
            terminated = run.Terminate;
        });

        Assert.True(terminated);
        Assert.StartsWith("model took ", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRun_CallerCancelled_Throws()
    {
        using var gate = new ModelGate(new ModelScorerOptions { Budget = TimeSpan.FromMinutes(5) });
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => gate.TryRun(1, cts.Token, _ => cts.Cancel()));
        using var before = new CancellationTokenSource();
        before.Cancel();
        bool ran = false;
        Assert.Throws<OperationCanceledException>(() => gate.TryRun(1, before.Token, _ => ran = true));
        Assert.False(ran);
    }
}
