using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Headroom.Provenance.EventStore.Postgres;
using Headroom.Provenance.Projections;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Weasel.Core;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// Marten's document store on PostgreSQL (Marten owns the mt_ schema of events, streams, projection documents
/// and progress) beside the hr_ tables of originals and the compression cache. Opening: (1) the hr_ tables,
/// (2) Marten's schema, (3) events of a database the hr_events store created are moved into Marten once.
/// </summary>
internal sealed class MartenDatabase : IAsyncDisposable
{
    private MartenDatabase(PostgresDatabase tables, DocumentStore store, string schema)
    {
        Tables = tables;
        Store = store;
        Events = $"\"{schema}\".mt_events";
        Streams = $"\"{schema}\".mt_streams";
    }

    /// <summary>hr_originals and hr_compression_cache.</summary>
    public PostgresDatabase Tables { get; }

    public DocumentStore Store { get; }

    public NpgsqlDataSource DataSource => Tables.DataSource;

    /// <summary>Marten's events table, schema-qualified.</summary>
    public string Events { get; }

    /// <summary>Marten's streams table, schema-qualified.</summary>
    public string Streams { get; }

    public static async Task<MartenDatabase> OpenAsync(string connectionString, IReadOnlyList<IProjection> inline, IReadOnlyList<IProjection> asynchronous, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var tables = await PostgresDatabase.OpenAsync(connectionString, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath?
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(s => s != "$user") ?? "public";
            var store = new DocumentStore(Configure(tables.DataSource, schema, inline, asynchronous, timeProvider));
            var database = new MartenDatabase(tables, store, schema);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
            await LegacyEventsMigration.RunAsync(database, logger, cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await tables.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static StoreOptions Configure(NpgsqlDataSource dataSource, string schema, IReadOnlyList<IProjection> inline, IReadOnlyList<IProjection> asynchronous, TimeProvider timeProvider)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.Events.StreamIdentity = StreamIdentity.AsString;

        // Quick: one round trip per batch, versions and sequences assigned by the database.
        options.Events.AppendMode = EventAppendMode.Quick;
        options.Events.EnableUniqueIndexOnEventId = true;
        options.Events.TimeProvider = timeProvider;
        foreach (var (type, alias) in MartenEvents.Aliases)
        {
            options.Events.MapEventType(type, alias);
        }

        // The events' JSON is the store's own (camelCase, nulls omitted, source-generated where it can be).
        var json = new JsonSerializerOptions(ProvenanceJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ProvenanceJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.UseSystemTextJsonForSerialization(json, EnumStorage.AsInteger, Casing.CamelCase);
        options.Schema.For<ProjectionDocument>();
        foreach (var projection in inline)
        {
            options.Projections.Add(new MartenProjection(projection), ProjectionLifecycle.Inline, projection.Name);
        }

        // This process runs the daemon itself (MartenAsyncDaemon), not through a hosted service.
        options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.Solo;
        foreach (var projection in asynchronous)
        {
            options.Projections.Add(new MartenProjection(projection), ProjectionLifecycle.Async, projection.Name);
        }

        return options;
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Tables.DisposeAsync().ConfigureAwait(false);
    }
}
