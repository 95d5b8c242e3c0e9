using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Projections;

public sealed class PostgresOneEventPerRequestTests : OneEventPerRequestContractTests
{
    private readonly string _connectionString = TestPostgres.FreshSchema();

    protected override string StoreSpec => "postgres:" + _connectionString;
}
