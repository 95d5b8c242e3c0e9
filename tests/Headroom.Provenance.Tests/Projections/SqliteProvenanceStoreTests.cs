using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Projections;

public sealed class SqliteProvenanceStoreTests : ProvenanceStoreContractTests
{
    private readonly TempDirectory _directory = new();

    protected override string StoreSpec => "sqlite:" + _directory.File("headroom.db");
}
