using Headroom.Provenance.EventStore;
using Headroom.Provenance.EventStore.Sqlite;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
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
    public async Task EverySession_ReadsAndWritesWithTheSmallPageCache_AndTheWriterWithNormalSync()
    {
        await using var database = await SqliteDatabase.OpenAsync(_directory.File("pragmas.db"), NullLogger.Instance, CancellationToken.None);

        // More readers at once than stay idle: the extra ones close, and the pool hands their native handles to
        // the sessions opened after them, so a writer must not inherit a reader's settings.
        for (var round = 0; round < 2; round++)
        {
            var readers = Enumerable.Range(0, 12).Select(_ => database.ReadSession()).ToList();
            try
            {
                foreach (var reader in readers)
                {
                    Assert.Equal(-SqliteDatabase.PageCacheKiB, await PragmaAsync(reader.Session, "cache_size"));
                }
            }
            finally
            {
                readers.ForEach(r => r.Dispose());
            }

            using var writer = await database.WriteSessionAsync(CancellationToken.None);
            Assert.Equal(-SqliteDatabase.PageCacheKiB, await PragmaAsync(writer.Session, "cache_size"));
            Assert.Equal(1, await PragmaAsync(writer.Session, "synchronous")); // NORMAL
        }
    }

    [Fact]
    public async Task WriterSession_LeftInsideATransaction_IsClosed_AndTheNextWriteStartsClean()
    {
        await using var database = await SqliteDatabase.OpenAsync(_directory.File("left-open.db"), NullLogger.Instance, CancellationToken.None);
        SqliteSession first;
        using (var writer = await database.WriteSessionAsync(CancellationToken.None))
        {
            first = writer.Session;
            var transaction = writer.Session.Begin();
            var insert = writer.Session.Command("INSERT INTO hr_progression (name, last_seq_id, updated) VALUES ('left', 1, 0)");
            await insert.ExecuteNonQueryAsync();
            Assert.True(writer.Session.InTransaction); // the lease ends without commit or rollback
            GC.KeepAlive(transaction);
        }

        Assert.Null(first.Connection.Handle);
        using (var writer = await database.WriteSessionAsync(CancellationToken.None))
        {
            Assert.NotSame(first, writer.Session);
            Assert.False(writer.Session.InTransaction);
            var count = writer.Session.Command("SELECT count(*) FROM hr_progression WHERE name = 'left'");
            Assert.Equal(0L, await count.ExecuteScalarAsync()); // the open transaction was rolled back with its connection
        }
    }

    private static async Task<int> PragmaAsync(SqliteSession session, string name) =>
        Convert.ToInt32(await session.Command("PRAGMA " + name + ";").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _directory.Dispose();
}
