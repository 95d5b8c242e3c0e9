using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.EventStore;

public sealed class SqliteEventStoreTests : EventStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    internal override Task<Backend> OpenAsync(IReadOnlyList<IProjection> inline, TimeProvider? time = null, IReadOnlyList<IProjection>? asynchronous = null) =>
        SqliteBackend.OpenAsync(_directory.File("store.db"), inline, time, asynchronous: asynchronous);

    internal override Task<Backend> ReopenAsync() => SqliteBackend.OpenAsync(_directory.File("store.db"), [], null);

    [Fact]
    public async Task AsyncRunner_TwoRunnersRacing_ApplyEveryEventExactlyOnceAndSaveProgress()
    {
        await using var backend = await OpenAsync([]);
        for (var i = 0; i < 30; i++)
        {
            await backend.Events.AppendAsync("s" + (i % 4), ExpectedVersion.Any, TestEvents.Many(5));
        }

        var counting = new CountingProjection("async");
        await using var one = new AsyncProjectionRunner(backend.Events, (IProjectionStore)backend.Projections, [counting], TimeProvider.System, TimeSpan.FromSeconds(3), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, pageSize: 7);
        await using var two = new AsyncProjectionRunner(backend.Events, (IProjectionStore)backend.Projections, [counting], TimeProvider.System, TimeSpan.FromSeconds(3), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, pageSize: 11);
        await Task.WhenAll(Task.Run(() => one.RunOnceAsync(CancellationToken.None)), Task.Run(() => two.RunOnceAsync(CancellationToken.None)));

        var last = (await backend.Events.ReadAllAsync(0, 1000))[^1].Sequence;
        Assert.Equal(150, await counting.CountAsync(backend.Projections));
        Assert.Equal(last, await ((IProjectionStore)backend.Projections).ReadProgressAsync("async", CancellationToken.None));

        await backend.Events.AppendAsync("later", ExpectedVersion.Any, TestEvents.Many(4));
        await one.RunOnceAsync(CancellationToken.None);
        Assert.Equal(154, await counting.CountAsync(backend.Projections));
    }

    [Fact]
    public async Task EveryPooledConnection_ReadsAndWritesWithTheSmallPageCache_AndWritersWithNormalSync()
    {
        await using var database = await Headroom.Provenance.EventStore.Sqlite.SqliteDatabase.OpenAsync(
            _directory.File("pragmas.db"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        // Connections held at once get distinct native handles; the pool hands the readers' handles to the
        // writers after them, so a writer must not inherit a reader's settings.
        foreach (var forWrite in new[] { false, true, false, true })
        {
            var held = new List<Microsoft.Data.Sqlite.SqliteConnection>();
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    held.Add(await database.OpenConnectionAsync(CancellationToken.None, forWrite));
                }

                foreach (var connection in held)
                {
                    await using var cache = connection.CreateCommand();
                    cache.CommandText = "PRAGMA cache_size;";
                    Assert.Equal(-Headroom.Provenance.EventStore.Sqlite.SqliteDatabase.PageCacheKiB, Convert.ToInt32(await cache.ExecuteScalarAsync()));
                    if (forWrite)
                    {
                        await using var sync = connection.CreateCommand();
                        sync.CommandText = "PRAGMA synchronous;";
                        Assert.Equal(1, Convert.ToInt32(await sync.ExecuteScalarAsync())); // NORMAL
                    }
                }
            }
            finally
            {
                foreach (var connection in held)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    public void Dispose() => _directory.Dispose();
}
