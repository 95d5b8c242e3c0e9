using System.Globalization;
using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors;

/// <summary>
/// The settings an evaluation runs with, printed next to its figures: the production pipeline
/// (the gateway's default budget and minimum size, every other option at its default) and the
/// same pipeline with a budget that never runs out.
/// </summary>
internal sealed record EvaluationSettings(TimeSpan ProductionBudget, int MinChars, string Origin)
{
    /// <summary>Long enough never to fire; <see cref="CancellationTokenSource"/> takes at most ~24 days.</summary>
    public static readonly TimeSpan Unlimited = TimeSpan.FromHours(1);

    public PipelineOptions Production => PipelineOptions.Default with { MinChars = MinChars, TimeBudget = ProductionBudget };

    public PipelineOptions Unbounded => Production with { TimeBudget = Unlimited };

    public string Describe()
    {
        var o = Production;
        return string.Create(CultureInfo.InvariantCulture,
            $"production = budget {o.TimeBudget.TotalMilliseconds:F0} ms, MinChars {o.MinChars}, MinSavedFraction {o.MinSavedFraction:F2}, ErrorVerbatimBytes {o.ErrorVerbatimBytes}, KeepFactor 1 ({Origin}); unlimited = the same with a {Unlimited.TotalHours:F0} h budget");
    }
}
