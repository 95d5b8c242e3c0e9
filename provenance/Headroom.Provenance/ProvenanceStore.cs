using System.Runtime.CompilerServices;
using System.Text.Json;
using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.EventStore.Marten;
using Headroom.Provenance.EventStore.Sqlite;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Headroom.Provenance;

/// <summary>
/// The provenance library in one object: event store, originals, compression cache, the non-blocking
/// writer and the queries the gateway serves. Open once at startup, dispose at shutdown (flushes).
/// </summary>
public sealed class ProvenanceStore : IAsyncDisposable
{
    public const string DefaultStoreSpec = StoreSpec.Default;

    private readonly IProjectionDocuments _documents;
    private readonly IAsyncProjections _asyncProjections;
    private readonly ProvenanceWriter _writer;
    private readonly IAsyncDisposable _database;
    private readonly ILogger _logger;
    private int _disposed;

    // Events kept for the projection runner: at the default poll of 250 ms it covers 16,000 requests a second,
    // in one array of value slots (~0.6 MB) allocated once.
    private const int RecentAppendsCapacity = 4096;

    private ProvenanceStore(string description, IEventStore events, IProjectionDocuments documents, IAsyncProjections asyncProjections, IOriginalsStore originals, ICompressionCache cache, IAsyncDisposable database, ProvenanceOptions options, ILogger logger)
    {
        Description = description;
        Events = events;
        // A store outage costs neither compression nor retrieval: both have an in-process fallback.
        Originals = new FallbackOriginalsStore(originals, options.FallbackOriginalsBytes, logger);
        CompressionCache = new FallbackCompressionCache(cache, options.FallbackCacheEntries, logger);
        _documents = documents;
        _asyncProjections = asyncProjections;
        _database = database;
        _logger = logger;
        _writer = new ProvenanceWriter(events, Path.GetFullPath(StoreSpec.ExpandHome(options.SpoolDirectory)), options.WriterCapacity, options.WriterBatchSize, options.WriterRetryInterval, options.TimeProvider, logger, options.SpoolMaxBytes, options.WriterGatherTime);
    }

    /// <summary>"sqlite:/path" or "postgres:Host=...;Password=***": safe to log.</summary>
    public string Description { get; }

    public IEventStore Events { get; }

    public IOriginalsStore Originals { get; }

    public ICompressionCache CompressionCache { get; }

    public IProvenanceWriter Writer => _writer;

    /// <summary>
    /// Opens (creating or migrating the schema: Marten's on PostgreSQL) the store named by <paramref name="storeSpec"/>:
    /// <c>sqlite:PATH</c> or <c>postgres:CONNECTION STRING</c>; null or empty means <see cref="DefaultStoreSpec"/>.
    /// Throws <see cref="ArgumentException"/> for a malformed spec.
    /// </summary>
    public static async Task<ProvenanceStore> OpenAsync(string? storeSpec, ProvenanceOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var spec = StoreSpec.Parse(storeSpec);
        options ??= ProvenanceOptions.Default;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Headroom.Provenance");
        // No inline projection: a request's provenance is folded from its stream when it is read, so an
        // append writes the events and nothing else.
        IProjection[] inline = [];
        IProjection[] asynchronous = [TelemetrySummaryProjection.Instance];
        // Each kind opens in its own method: the embedded default never loads Marten, Npgsql or their
        // dependencies (the JIT resolves the types a method names when it compiles that method).
        var opened = spec.Kind == StoreKind.Postgres
            ? await OpenPostgresAsync(spec, inline, asynchronous, options, logger, cancellationToken).ConfigureAwait(false)
            : await OpenSqliteAsync(spec, inline, asynchronous, options, logger, cancellationToken).ConfigureAwait(false);

        if (options.RunAsyncProjections)
        {
            await opened._asyncProjections.StartAsync(options.ProjectionPollInterval, cancellationToken).ConfigureAwait(false);
        }

        return opened;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<ProvenanceStore> OpenPostgresAsync(StoreSpec spec, IProjection[] inline, IProjection[] asynchronous, ProvenanceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var database = await MartenDatabase.OpenAsync(spec.Target, inline, asynchronous, options.TimeProvider, logger, cancellationToken).ConfigureAwait(false);
        var store = new MartenEventStore(database);
        return new ProvenanceStore(
            spec.Describe(),
            store,
            store,
            new MartenAsyncDaemon(database),
            new PostgresOriginalsStore(database.Tables, options.TimeProvider, options.OriginalsRetention),
            new PostgresCompressionCache(database.Tables),
            database,
            options,
            logger);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<ProvenanceStore> OpenSqliteAsync(StoreSpec spec, IProjection[] inline, IProjection[] asynchronous, ProvenanceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var database = await SqliteDatabase.OpenAsync(spec.Target, logger, cancellationToken).ConfigureAwait(false);
        // Only a process that runs the projections keeps its recent appends for them.
        var recent = options.RunAsyncProjections ? new RecentAppends(RecentAppendsCapacity) : null;
        var store = new SqliteEventStore(database, inline, options.TimeProvider, recent);
        return new ProvenanceStore(
            spec.Describe(),
            store,
            store,
            new AsyncProjectionRunner(store, store, asynchronous, options.TimeProvider, options.GapSettleTime, logger, recent: recent),
            new SqliteOriginalsStore(database, options.TimeProvider, options.OriginalsRetention),
            new SqliteCompressionCache(database, options.TimeProvider),
            database,
            options,
            logger);
    }

    /// <summary>The provenance of one request (its stream, folded), or null when the id is unknown (serve 404).</summary>
    public async Task<RequestProvenance?> GetRequestProvenanceAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var stream = await Events.ReadStreamAsync(requestId, cancellationToken).ConfigureAwait(false);
        return RequestProvenanceFold.Of(requestId, stream);
    }

    /// <summary>The telemetry summary as of the async projection's position (at most a poll interval behind).</summary>
    public async Task<TelemetrySummary> GetTelemetrySummaryAsync(CancellationToken cancellationToken = default)
    {
        var json = await _documents.LoadDocumentAsync(TelemetrySummaryProjection.Type, TelemetrySummaryProjection.DocumentId, cancellationToken).ConfigureAwait(false);
        var state = json is null ? null : JsonSerializer.Deserialize(json, ProvenanceStateJsonContext.Default.TelemetryState);
        return state?.ToSummary() ?? TelemetrySummary.Empty;
    }

    /// <summary>Runs the async projections up to the high-water mark now (tests, CLI `stats`).</summary>
    public Task CatchUpProjectionsAsync(CancellationToken cancellationToken = default) => _asyncProjections.CatchUpAsync(cancellationToken);

    /// <summary>Deletes expired originals; call it on a timer (e.g. hourly). Returns how many were deleted.</summary>
    public async Task<int> SweepExpiredOriginalsAsync(CancellationToken cancellationToken = default)
    {
        var swept = await Originals.SweepExpiredAsync(cancellationToken).ConfigureAwait(false);
        if (swept > 0)
        {
            ProvenanceLog.OriginalsSwept(_logger, swept);
        }

        return swept;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _asyncProjections.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
