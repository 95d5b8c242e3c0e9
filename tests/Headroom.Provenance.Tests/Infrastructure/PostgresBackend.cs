using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore.Postgres;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Headroom.Provenance.Tests.Infrastructure;

internal static class PostgresBackend
{
    public static async Task<Backend> OpenAsync(string connectionString, IReadOnlyList<IProjection> inline, TimeProvider? time, TimeSpan? retention = null)
    {
        time ??= TimeProvider.System;
        var database = await PostgresDatabase.OpenAsync(connectionString, NullLogger.Instance, CancellationToken.None);
        var store = new PostgresEventStore(database, inline, time);
        return new Backend(store, store, new PostgresOriginalsStore(database, time, retention ?? TimeSpan.FromDays(7)), new PostgresCompressionCache(database), database);
    }
}
