using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Caching;

public sealed class SqliteCompressionCacheTests : CompressionCacheContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    internal override Task<Backend> OpenAsync() => SqliteBackend.OpenAsync(_directory.File("store.db"), [], null);

    internal override Task<Backend> ReopenAsync() => OpenAsync();

    public void Dispose() => _directory.Dispose();
}
