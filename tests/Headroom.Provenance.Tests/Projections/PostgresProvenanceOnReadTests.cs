using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Projections;

public sealed class PostgresProvenanceOnReadTests : ProvenanceOnReadContractTests
{
    private readonly string _connectionString = TestPostgres.FreshSchema();

    protected override string StoreSpec => "postgres:" + _connectionString;
}
