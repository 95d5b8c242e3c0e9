namespace Headroom.Provenance.Tests.Projections;

public sealed class SqliteProvenanceStoreTests : ProvenanceStoreContractTests
{
    protected override string StoreSpec => "sqlite:" + Scratch.File("headroom.db");
}
