namespace Headroom.Provenance.Tests.Projections;

public sealed class SqliteOneEventPerRequestTests : OneEventPerRequestContractTests
{
    protected override string StoreSpec => "sqlite:" + Scratch.File("headroom.db");
}
