using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Headroom.Provenance.Tests.EventStore;

/// <summary>A PostgreSQL database the hand-written hr_events store created is moved into Marten when the store opens.</summary>
public sealed class LegacySchemaMigrationTests : IDisposable
{
    /// <summary>The hr_ event tables as the store before Marten created them (schema version 1).</summary>
    private const string LegacySchema =
        """
        CREATE TABLE hr_schema_version (version int NOT NULL);
        INSERT INTO hr_schema_version VALUES (1);
        CREATE TABLE hr_streams (id text PRIMARY KEY, version bigint NOT NULL, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now());
        CREATE SEQUENCE hr_events_sequence;
        CREATE TABLE hr_events (seq_id bigint PRIMARY KEY, id uuid NOT NULL UNIQUE, stream_id text NOT NULL, version bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, timestamp timestamptz NOT NULL, UNIQUE (stream_id, version));
        CREATE TABLE hr_progression (name text PRIMARY KEY, last_seq_id bigint NOT NULL, updated timestamptz NOT NULL DEFAULT now());
        CREATE TABLE hr_documents (type text NOT NULL, id text NOT NULL, data jsonb NOT NULL, updated timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (type, id));
        CREATE TABLE hr_originals (tenant text NOT NULL, hash text NOT NULL, content bytea NOT NULL, created timestamptz NOT NULL, expires timestamptz NOT NULL, PRIMARY KEY (tenant, hash));
        CREATE INDEX hr_originals_expires_idx ON hr_originals (expires);
        CREATE TABLE hr_compression_cache (original_hash text NOT NULL, compressor text NOT NULL, compressor_version text NOT NULL, options text NOT NULL, output bytea NOT NULL, spans bytea NOT NULL, created timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (original_hash, compressor, compressor_version, options));
        """;

    private readonly string _connectionString = TestPostgres.FreshSchema();
    private readonly TempDirectory _spool = new();

    [Fact]
    public async Task Open_OnHrEventsDatabase_MovesEveryEventIntoMartenAndRebuildsProvenance()
    {
        var received = new RequestReceived { RequestId = "req-old", SessionId = "sess-1", Provider = "anthropic", Model = "claude-sonnet-4-5", Route = "/v1/messages" };
        var composed = new ContextComposed { RequestId = "req-old", Blocks = [new ContextBlock { Kind = "tool_result", Role = "user", Message = 2, Block = 0, Tool = "Bash", TokensBefore = 900, TokensAfter = 120, Compressor = "log" }] };
        var other = new NewEvent(Guid.CreateVersion7(), "feature_event", """{"x":1}"""u8.ToArray());
        var original = "the original tool output\n"u8.ToArray();
        var tenant = TenantId.Local;
        await SeedLegacyAsync([("req-old", EventSerializer.ToNewEvent(received)), ("req-old", EventSerializer.ToNewEvent(composed)), ("other", other)], tenant, original);

        var options = new ProvenanceOptions { SpoolDirectory = _spool.Path, RunAsyncProjections = false };
        await using (var store = await ProvenanceStore.OpenAsync("postgres:" + _connectionString, options))
        {
            var stream = await store.Events.ReadStreamAsync("req-old");
            Assert.Equal([received.EventId, composed.EventId], stream.Select(e => e.Id));
            Assert.Equal([1L, 2L], stream.Select(e => e.Version));
            var foreign = Assert.Single(await store.Events.ReadStreamAsync("other"));
            Assert.Equal("feature_event", foreign.Type);
            Assert.Equal(3, await store.Events.CountEventsAsync());

            var view = await store.GetRequestProvenanceAsync("req-old");
            Assert.NotNull(view);
            Assert.Equal("claude-sonnet-4-5", view.Model);
            Assert.Equal("Bash", Assert.Single(view.Sources).Tool);
            Assert.Equal(original, await store.Originals.GetAsync(tenant, OriginalHash.Compute(original)));

            await store.CatchUpProjectionsAsync();
            Assert.Equal(1, (await store.GetTelemetrySummaryAsync()).Totals.Requests);
        }

        Assert.False(await ExistsAsync("hr_events"));
        Assert.False(await ExistsAsync("hr_documents"));

        // Opening again finds nothing left to move and keeps what Marten holds.
        await using var again = await ProvenanceStore.OpenAsync("postgres:" + _connectionString, options);
        Assert.Equal(3, await again.Events.CountEventsAsync());
    }

    private async Task SeedLegacyAsync(IReadOnlyList<(string Stream, NewEvent Event)> events, TenantId tenant, byte[] original)
    {
        await using var connection = await OpenAsync();
        await Execute(connection, LegacySchema);
        var versions = new Dictionary<string, long>();
        foreach (var (stream, e) in events)
        {
            var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
            await using var insert = new NpgsqlCommand("INSERT INTO hr_events VALUES (nextval('hr_events_sequence'), $1, $2, $3, $4, $5::jsonb, now())", connection);
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = System.Text.Encoding.UTF8.GetString(e.Data.Span) });
            await insert.ExecuteNonQueryAsync();
        }

        await using var put = new NpgsqlCommand("INSERT INTO hr_originals VALUES ($1, $2, $3, now(), now() + interval '1 day')", connection);
        put.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        put.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OriginalHash.Compute(original) });
        put.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = original });
        await put.ExecuteNonQueryAsync();
    }

    private async Task<bool> ExistsAsync(string table)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        var schema = builder.SearchPath!;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
        return connection;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _spool.Dispose();
}
