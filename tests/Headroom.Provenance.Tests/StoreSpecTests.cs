using Xunit;

namespace Headroom.Provenance.Tests;

public sealed class StoreSpecTests
{
    [Fact]
    public void Parse_NullOrEmpty_IsTheSqliteDefaultUnderHome()
    {
        var spec = StoreSpec.Parse(null);

        Assert.Equal(StoreKind.Sqlite, spec.Kind);
        Assert.Equal(Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".headroom", "headroom.db"), spec.Target);
        Assert.Equal(spec, StoreSpec.Parse("  "));
    }

    [Theory]
    [InlineData("sqlite:/tmp/x.db", StoreKind.Sqlite, "/tmp/x.db")]
    [InlineData("postgres:Host=db;Database=headroom", StoreKind.Postgres, "Host=db;Database=headroom")]
    [InlineData("postgresql:Host=db", StoreKind.Postgres, "Host=db")]
    internal void Parse_KnownPrefixes(string input, StoreKind kind, string target)
    {
        var spec = StoreSpec.Parse(input);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(target, spec.Target);
    }

    [Theory]
    [InlineData("mysql:Host=db")]
    [InlineData("sqlite:")]
    [InlineData("postgres:")]
    public void Parse_Malformed_ThrowsWithUsage(string input)
    {
        var error = Assert.Throws<ArgumentException>(() => StoreSpec.Parse(input));

        Assert.Contains("sqlite:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_HidesThePassword()
    {
        var spec = StoreSpec.Parse("postgres:Host=db;Password=hunter2;Database=h");

        Assert.DoesNotContain("hunter2", spec.Describe(), StringComparison.Ordinal);
    }
}
