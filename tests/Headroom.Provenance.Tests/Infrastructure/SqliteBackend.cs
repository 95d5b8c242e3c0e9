using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore.Sqlite;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Headroom.Provenance.Tests.Infrastructure;

internal static class SqliteBackend
{
    public static async Task<Backend> OpenAsync(string path, IReadOnlyList<IProjection> inline, TimeProvider? time, TimeSpan? retention = null, IReadOnlyList<IProjection>? asynchronous = null)
    {
        time ??= TimeProvider.System;
        var database = await SqliteDatabase.OpenAsync(path, NullLogger.Instance, CancellationToken.None);
        var store = new SqliteEventStore(database, inline, time);
        var runner = new AsyncProjectionRunner(store, store, asynchronous ?? [], time, TimeSpan.FromSeconds(3), NullLogger.Instance);
        return new Backend(store, store, runner, new SqliteOriginalsStore(database, time, retention ?? TimeSpan.FromDays(7)), new SqliteCompressionCache(database, time), database);
    }
}
