using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Headroom.Provenance.Tests.EventStore;

/// <summary>The contract on PostgreSQL through Marten; gaps and in-flight transactions are the async daemon's to handle.</summary>
public sealed class PostgresEventStoreTests : EventStoreContractTests
{
    private readonly string _connectionString = TestPostgres.FreshSchema();

    internal override Task<Backend> OpenAsync(IReadOnlyList<IProjection> inline, TimeProvider? time = null, IReadOnlyList<IProjection>? asynchronous = null) =>
        PostgresBackend.OpenAsync(_connectionString, inline, time, asynchronous: asynchronous);

    internal override Task<Backend> ReopenAsync() => PostgresBackend.OpenAsync(_connectionString, [], null);

    [Fact]
    public async Task Open_StoresEventsInMartensSchema()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("s", Provenance.EventStore.ExpectedVersion.Any, TestEvents.Many(2));

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM mt_events", connection);
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }
}
