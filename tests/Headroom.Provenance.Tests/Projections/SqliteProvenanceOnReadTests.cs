namespace Headroom.Provenance.Tests.Projections;

public sealed class SqliteProvenanceOnReadTests : ProvenanceOnReadContractTests
{
    protected override string StoreSpec => "sqlite:" + Scratch.File("headroom.db");
}
