using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Caching;

public sealed class PostgresCompressionCacheTests : CompressionCacheContractTests
{
    private readonly string _connectionString = TestPostgres.FreshSchema();

    internal override Task<Backend> OpenAsync() => PostgresBackend.OpenAsync(_connectionString, [], null);

    internal override Task<Backend> ReopenAsync() => OpenAsync();
}
