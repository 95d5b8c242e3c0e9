using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Headroom.Provenance.Tests.EventStore;

public sealed class PostgresEventStoreTests : EventStoreContractTests
{
    private readonly string _connectionString = TestPostgres.FreshSchema();

    internal override Task<Backend> OpenAsync(IReadOnlyList<IProjection> inline, TimeProvider? time = null) =>
        PostgresBackend.OpenAsync(_connectionString, inline, time);

    internal override Task<Backend> ReopenAsync() => PostgresBackend.OpenAsync(_connectionString, [], null);

    [Fact]
    public async Task AsyncRunner_SequenceBurnedByRollback_WaitsForSettleTimeThenSkipsIt()
    {
        var clock = new ManualTimeProvider();
        await using var backend = await OpenAsync([], clock);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(1));
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var burn = new NpgsqlCommand("SELECT nextval('hr_events_sequence')", connection, transaction);
            await burn.ExecuteScalarAsync();
            await transaction.RollbackAsync();
        }

        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(1));
        var counting = new CountingProjection("gap");
        await using var runner = new AsyncProjectionRunner(backend.Events, backend.Projections, [counting], clock, TimeSpan.FromSeconds(3), NullLogger.Instance);

        await runner.RunOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await runner.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, await counting.CountAsync(backend.Projections));

        clock.Advance(TimeSpan.FromSeconds(2));
        await runner.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, await counting.CountAsync(backend.Projections));
        Assert.Equal(3, await backend.Projections.ReadProgressAsync("gap", CancellationToken.None));
    }

    [Fact]
    public async Task AsyncRunner_TransactionInFlight_NeverPassesItsSequence()
    {
        var clock = new ManualTimeProvider();
        await using var backend = await OpenAsync([], clock);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(1));

        // A slow writer draws sequence 2 and has not committed when sequence 3 commits.
        await using var slow = new NpgsqlConnection(_connectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO hr_events (seq_id, id, stream_id, version, type, data, timestamp) VALUES (nextval('hr_events_sequence'), $1, 'slow', 1, 'thing_happened', '{}', now())",
            slow,
            transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            await insert.ExecuteNonQueryAsync();
        }

        await backend.Events.AppendAsync("fast", ExpectedVersion.Any, TestEvents.Many(1));
        var counting = new CountingProjection("inflight");
        await using var runner = new AsyncProjectionRunner(backend.Events, backend.Projections, [counting], clock, TimeSpan.FromSeconds(3), NullLogger.Instance);
        await runner.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, await counting.CountAsync(backend.Projections));
        Assert.Equal(1, runner.HighWaterMark);

        await transaction.CommitAsync();
        await runner.RunOnceAsync(CancellationToken.None);
        Assert.Equal(3, await counting.CountAsync(backend.Projections));
        Assert.Equal(1, await counting.CountAsync(backend.Projections, "slow"));
    }
}
