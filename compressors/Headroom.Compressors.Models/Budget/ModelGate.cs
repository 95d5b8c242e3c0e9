using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Headroom.Compressors.Models.Budget;

/// <summary>
/// Admission and deadline for one model: a concurrency limit (no free slot = fall back at once), a cost
/// estimate from a per-token cost measured at load (estimate over budget = fall back without running),
/// and a deadline that terminates a run in progress (ONNX Runtime <see cref="RunOptions.Terminate"/>).
/// The caller's cancellation is honoured: it throws, it does not fall back.
/// </summary>
internal sealed class ModelGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _budget;

    public ModelGate(ModelScorerOptions options)
    {
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrency));
        _budget = options.Budget;
    }

    /// <summary>Measured cost of one (padded) token through the model, in milliseconds.</summary>
    public double MsPerToken { get; set; }

    /// <summary>Runs <paramref name="run"/> if it fits; otherwise returns the reason it did not run or finish.</summary>
    public string? TryRun(long tokens, CancellationToken cancellationToken, Action<RunOptions> run)
    {
        cancellationToken.ThrowIfCancellationRequested();
        double estimate = tokens * MsPerToken;
        if (estimate >= _budget.TotalMilliseconds)
        {
            return $"estimated {estimate:F0} ms for {tokens} tokens > budget {_budget.TotalMilliseconds:F0} ms";
        }

        if (!_slots.Wait(0, cancellationToken))
        {
            return "model busy (concurrency limit)";
        }

        try
        {
            var watch = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_budget);
            using var options = new RunOptions();
            using var stop = deadline.Token.Register(() => options.Terminate = true);
            try
            {
                run(options);
            }
            catch (OnnxRuntimeException) when (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return $"model stopped at budget {_budget.TotalMilliseconds:F0} ms";
            }

            cancellationToken.ThrowIfCancellationRequested();
            return deadline.IsCancellationRequested || watch.Elapsed > _budget ? $"model took {watch.Elapsed.TotalMilliseconds:F0} ms > budget {_budget.TotalMilliseconds:F0} ms" : null;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
