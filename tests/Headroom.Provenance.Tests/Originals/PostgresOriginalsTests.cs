using Headroom.Provenance.Tests.Infrastructure;

namespace Headroom.Provenance.Tests.Originals;

public sealed class PostgresOriginalsTests : OriginalsContractTests
{
    internal override Task<Backend> OpenAsync(TimeProvider time, TimeSpan retention) =>
        PostgresBackend.OpenAsync(TestPostgres.FreshSchema(), [], time, retention);
}
