using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Originals;

public sealed class SqliteOriginalsTests : OriginalsContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    internal override Task<Backend> OpenAsync(TimeProvider time, TimeSpan retention) =>
        SqliteBackend.OpenAsync(_directory.File("store.db"), [], time, retention);

    public void Dispose() => _directory.Dispose();
}
