using System.Collections.Concurrent;
using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Pipeline;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Headroom.Client;

/// <summary>
/// The gateway's live zone in process: the compression pipeline, the replay cache and the originals
/// of the embedded store, the tenant salt. One per data directory for the life of the process, so
/// handlers that <c>IHttpClientFactory</c> recycles keep their replay decisions and originals.
/// </summary>
internal sealed class HeadroomEngine
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<HeadroomEngine>>> Shared = new(StringComparer.Ordinal);

    private HeadroomEngine(GatewayOptions options, ProvenanceStore store, LiveCompressor live, RetrievalLearning learning, TenantResolver tenants, ILogger logger)
    {
        Options = options;
        Store = store;
        Live = live;
        Learning = learning;
        Tenants = tenants;
        Logger = logger;
    }

    public GatewayOptions Options { get; }

    public ProvenanceStore Store { get; }

    public IOriginalsStore Originals => Store.Originals;

    public LiveCompressor Live { get; }

    public RetrievalLearning Learning { get; }

    public TenantResolver Tenants { get; }

    public ILogger Logger { get; }

    /// <summary>The engine of <paramref name="options"/>' data directory, opened on first use.</summary>
    public static Task<HeadroomEngine> ForAsync(HeadroomClientOptions options)
    {
        var gateway = ToGatewayOptions(options);
        var key = Path.GetFullPath(gateway.ResolvedDataDirectory);
        var lazy = Shared.GetOrAdd(key, _ => new Lazy<Task<HeadroomEngine>>(() => OpenAsync(gateway, options.LoggerFactory ?? NullLoggerFactory.Instance)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            Shared.TryRemove(new KeyValuePair<string, Lazy<Task<HeadroomEngine>>>(key, lazy)); // the next call tries again
        }

        return task;
    }

    private static GatewayOptions ToGatewayOptions(HeadroomClientOptions options) => new()
    {
        DataDirectory = options.DataDirectory,
        RetentionDays = options.RetentionDays,
        TenantSalt = options.TenantSalt,
        Compression = options.Compression,
    };

    private static async Task<HeadroomEngine> OpenAsync(GatewayOptions options, ILoggerFactory loggers)
    {
        ProvenanceStore store;
        try
        {
            store = await ProvenanceStore.OpenAsync(options.ResolvedStore, new ProvenanceOptions
            {
                SpoolDirectory = Path.Combine(options.ResolvedDataDirectory, "spool"),
                OriginalsRetention = TimeSpan.FromDays(options.RetentionDays),
                RunAsyncProjections = false, // no telemetry summary is read in process
            }, loggers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"Headroom could not open its embedded store in {options.ResolvedDataDirectory} ({ex.Message}). Set HeadroomClientOptions.DataDirectory to a writable directory.", ex);
        }

        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var compression = options.Compression;
        var scorers = ProseScorers.Load(compression.Text.Resolved, compression.Text.ToModelOptions());
        // As the gateway does: compile the compressors on samples before the first output meets its budget.
        PipelineWarmup.EnsureWarm();
        var pipeline = new CompressionPipeline(scorers.CreateRegistry(), options: PipelineOptions.Default with
        {
            MinChars = compression.MinChars,
            TimeBudget = TimeSpan.FromMilliseconds(compression.TimeBudgetMs),
        });
        var replay = new ReplayCache(store.CompressionCache, generationBytes: Math.Max(1, compression.ReplayCacheMegabytes) * (1L << 20));
        var learning = new RetrievalLearning(store, wrapped, loggers.CreateLogger<RetrievalLearning>());
        var tenants = new TenantResolver(wrapped);
        var live = new LiveCompressor(pipeline, replay, store.Originals, wrapped, [], learning, tenants);
        return new HeadroomEngine(options, store, live, learning, tenants, loggers.CreateLogger("Headroom.Client"));
    }

    /// <summary>Answers <c>headroom_retrieve</c> calls from <paramref name="tenant"/>'s originals only.</summary>
    public async Task<List<RetrievedOriginal>> AnswerAsync(TenantId tenant, IEnumerable<TurnItem> calls, CancellationToken cancellationToken)
    {
        var answers = new List<RetrievedOriginal>();
        foreach (var call in calls.Where(c => c.IsRetrieve))
        {
            var (answer, _) = await OriginalLookup.AnswerAsync(Originals, tenant, call, Options.RetentionDays, cancellationToken).ConfigureAwait(false);
            if (answer.Found)
            {
                Learning.Retrieved(answer.Hash);
            }

            ClientLog.RetrieveServed(Logger, answer.Hash, answer.Found);
            answers.Add(answer);
        }

        return answers;
    }
}
