using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.EventStore;

public sealed class SqliteEventStoreTests : EventStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    internal override Task<Backend> OpenAsync(IReadOnlyList<IProjection> inline, TimeProvider? time = null) =>
        SqliteBackend.OpenAsync(_directory.File("store.db"), inline, time);

    internal override Task<Backend> ReopenAsync() => SqliteBackend.OpenAsync(_directory.File("store.db"), [], null);

    public void Dispose() => _directory.Dispose();
}
