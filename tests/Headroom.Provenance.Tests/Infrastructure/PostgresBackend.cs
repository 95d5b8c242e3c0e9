using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore.Marten;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Headroom.Provenance.Tests.Infrastructure;

internal static class PostgresBackend
{
    public static async Task<Backend> OpenAsync(string connectionString, IReadOnlyList<IProjection> inline, TimeProvider? time, TimeSpan? retention = null, IReadOnlyList<IProjection>? asynchronous = null)
    {
        time ??= TimeProvider.System;
        var database = await MartenDatabase.OpenAsync(connectionString, inline, asynchronous ?? [], time, NullLogger.Instance, CancellationToken.None);
        var store = new MartenEventStore(database);
        return new Backend(store, store, new MartenAsyncDaemon(database), new PostgresOriginalsStore(database.Tables, time, retention ?? TimeSpan.FromDays(7)), new PostgresCompressionCache(database.Tables), database);
    }
}
