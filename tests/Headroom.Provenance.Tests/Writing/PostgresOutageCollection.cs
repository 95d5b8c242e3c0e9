using Xunit;

namespace Headroom.Provenance.Tests.Writing;

/// <summary>Runs alone: stopping a PostgreSQL cluster under load is timing-sensitive on a busy machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresOutageCollection
{
    public const string Name = "postgres-outage";
}
