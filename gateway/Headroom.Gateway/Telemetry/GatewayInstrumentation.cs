using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// The gateway's one <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Headroom.Gateway</c>,
/// with every instrument declared here. GenAI semantic-convention names where they exist; gateway-specific
/// ones under <c>headroom.*</c>. Durations in seconds; no ids as metric tags.
/// </summary>
internal static class GatewayInstrumentation
{
    public const string Name = "Headroom.Gateway";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] OverheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram(
        "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "gen_ai.client.operation.duration", "s", "GenAI operation duration.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram(
        "gen_ai.client.operation.time_to_first_chunk", "s", "Time from the request to the first response chunk.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> Overhead = Meter.CreateHistogram(
        "headroom.gateway.overhead", "s", "Time the gateway spent on a request before handing it to the upstream.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OverheadBuckets });

    public static readonly Counter<long> TokensSaved = Meter.CreateCounter<long>(
        "headroom.tokens.saved", "{token}", "Tokens removed from requests by compression.");

    public static readonly Counter<long> CacheVerdicts = Meter.CreateCounter<long>(
        "headroom.cache.verdicts", "{request}", "Cache verdicts by verdict and cause.");

    public static readonly Counter<long> CompressorTokensSaved = Meter.CreateCounter<long>(
        "headroom.compressor.tokens.saved", "{token}", "Tokens removed by each compressor from new tool outputs (replays not counted again).");

    public static readonly Counter<long> Retrievals = Meter.CreateCounter<long>(
        "headroom.retrievals", "{call}", "headroom_retrieve calls the gateway served inside requests.");

    private static Func<Headroom.Provenance.Writing.ProvenanceWriterStats>? _writer;
    private static int _writerObserved;

    /// <summary>
    /// The provenance writer's state, observed at each scrape or export. The host that started last is the
    /// one observed (one per process in production; tests start many). Observing never throws.
    /// </summary>
    public static void ObserveWriter(Func<Headroom.Provenance.Writing.ProvenanceWriterStats> stats)
    {
        _writer = stats;
        if (Interlocked.Exchange(ref _writerObserved, 1) == 1)
        {
            return;
        }

        Meter.CreateObservableGauge("headroom.store.spool.size", () => Writer(s => s.SpoolBytes), "By", "Bytes of provenance events spooled on disk while the store was unreachable.");
        Meter.CreateObservableGauge("headroom.store.backlog", () => Writer(s => Math.Max(0, s.Recorded - s.Stored - s.Spooled)), "{event}", "Provenance events recorded but neither stored nor spooled yet.");
        Meter.CreateObservableCounter("headroom.store.events.at_risk", () => Writer(s => s.AtRisk), "{event}", "Provenance events that could be written nowhere (store down, spool full).");
    }

    private static long Writer(Func<Headroom.Provenance.Writing.ProvenanceWriterStats, long> read)
    {
        try
        {
            return _writer is { } stats ? read(stats()) : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }
}
