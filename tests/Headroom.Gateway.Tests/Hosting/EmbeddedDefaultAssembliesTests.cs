namespace Headroom.Gateway.Tests.Hosting;

/// <summary>
/// On its embedded SQLite default the gateway never loads the PostgreSQL side (Marten, JasperFx, Weasel, Npgsql):
/// their assemblies are megabytes of mapped files and types in a process that uses none of them. Checked on the
/// real gateway process (this test process has them loaded for the PostgreSQL tests), after start and a request.
/// Each mapped assembly is resident memory from then on (the soak bench's RSS target is 150 MB).
/// </summary>
public sealed class EmbeddedDefaultAssembliesTests(GatewayMapsAfterTraffic gateway) : IClassFixture<GatewayMapsAfterTraffic>
{
    private static readonly string[] PostgresSide = ["Marten", "JasperFx", "Weasel", "Npgsql"];
    private static readonly string[] RuntimeOnlyWhenAskedFor = ["System.Linq.Expressions.dll", "System.Reflection.Metadata.dll", "System.IO.FileSystem.Watcher.dll"];

    [Fact]
    public void EmbeddedStore_AfterStartAndARequest_HasNoPostgresAssemblyMapped()
    {
        var postgresSide = string.Join(", ", gateway.Mapped.Where(file => PostgresSide.Any(p => file.StartsWith(p, StringComparison.Ordinal))));
        Assert.True(postgresSide.Length == 0, $"the embedded default mapped {postgresSide}");
    }

    /// <summary>
    /// Nor what the gateway has no use for at run time: the expression compiler (minimal-API endpoints are bound by
    /// the request delegate generator, not compiled on the first request), the metadata reader (the version is a
    /// build constant, not read back from the file), the file watcher (appsettings.json is read, not watched).
    /// </summary>
    [Fact]
    public void EmbeddedStore_AfterStartAndRequests_HasNoExpressionCompilerMetadataReaderOrFileWatcherMapped()
    {
        var loaded = string.Join(", ", gateway.Mapped.Where(file => RuntimeOnlyWhenAskedFor.Contains(file, StringComparer.Ordinal)));
        Assert.True(loaded.Length == 0, $"the gateway mapped {loaded}");
    }
}
