using Npgsql;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server CI provides through HEADROOM_TEST_POSTGRES (scripts/test.sh starts one). Missing
/// means a broken setup, so the tests that need it fail with that advice rather than skip.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "HEADROOM_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests through scripts/test.sh (it starts a throwaway PostgreSQL 15 and sets it), " +
                $"or export {Variable}=\"Host=127.0.0.1;Port=PORT;Username=postgres;Database=postgres\".");

    /// <summary>A connection string whose search path is a schema no other test uses.</summary>
    public static string FreshSchema() => new NpgsqlConnectionStringBuilder(ConnectionString)
    {
        SearchPath = "hr_gw_" + Guid.NewGuid().ToString("N")[..16],
    }.ConnectionString;
}
