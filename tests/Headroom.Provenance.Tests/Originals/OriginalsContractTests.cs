using System.Security.Cryptography;
using System.Text;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Originals;

/// <summary>The originals store's contract, run against both backends.</summary>
public abstract class OriginalsContractTests
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("0123456789abcdef-test-salt");

    internal abstract Task<Backend> OpenAsync(TimeProvider time, TimeSpan retention);

    [Fact]
    public async Task PutThenGet_ReturnsTheExactBytesUnderTheSha256Prefix()
    {
        await using var backend = await OpenAsync(TimeProvider.System, TimeSpan.FromDays(7));
        var original = new byte[70_000];
        new Random(42).NextBytes(original);
        original[0] = 0;

        var hash = await backend.Originals.PutAsync(TenantId.Local, original);
        var again = await backend.Originals.PutAsync(TenantId.Local, original);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original))[..24], hash);
        Assert.Equal(hash, again);
        Assert.Equal(original, await backend.Originals.GetAsync(TenantId.Local, hash));
    }

    [Fact]
    public async Task Get_Utf8TextWithCrLfAndTrailingSpace_IsByteIdentical()
    {
        await using var backend = await OpenAsync(TimeProvider.System, TimeSpan.FromDays(7));
        var text = Encoding.UTF8.GetBytes("ls -la\r\n  naïve café 🚀 \t\n\n");

        var hash = await backend.Originals.PutAsync(TenantId.Local, text);

        Assert.Equal(text, await backend.Originals.GetAsync(TenantId.Local, hash));
    }

    [Fact]
    public async Task Get_OtherTenantWithTheRightHash_ReturnsNothing()
    {
        await using var backend = await OpenAsync(TimeProvider.System, TimeSpan.FromDays(7));
        var alice = TenantId.FromApiKey("sk-ant-alice", Salt);
        var bob = TenantId.FromApiKey("sk-ant-bob", Salt);
        var hash = await backend.Originals.PutAsync(alice, Encoding.UTF8.GetBytes("alice's build log"));

        Assert.NotEqual(alice, bob);
        Assert.Null(await backend.Originals.GetAsync(bob, hash));
        Assert.Null(await backend.Originals.GetAsync(TenantId.Local, hash));
        Assert.NotNull(await backend.Originals.GetAsync(alice, hash));
    }

    [Fact]
    public async Task Get_UnknownOrMalformedHash_ReturnsNothing()
    {
        await using var backend = await OpenAsync(TimeProvider.System, TimeSpan.FromDays(7));
        await backend.Originals.PutAsync(TenantId.Local, "x"u8.ToArray());

        Assert.Null(await backend.Originals.GetAsync(TenantId.Local, "000000000000000000000000"));
        Assert.Null(await backend.Originals.GetAsync(TenantId.Local, "' OR 1=1 --"));
        Assert.Null(await backend.Originals.GetAsync(TenantId.Local, string.Empty));
    }

    [Fact]
    public async Task Expired_IsNotServedAndTheSweeperDeletesIt_WhileAFreshPutExtendsRetention()
    {
        var clock = new ManualTimeProvider();
        await using var backend = await OpenAsync(clock, TimeSpan.FromDays(7));
        var old = await backend.Originals.PutAsync(TenantId.Local, "old"u8.ToArray());
        var kept = await backend.Originals.PutAsync(TenantId.Local, "kept"u8.ToArray());
        clock.Advance(TimeSpan.FromDays(6));
        await backend.Originals.PutAsync(TenantId.Local, "kept"u8.ToArray());
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await backend.Originals.GetAsync(TenantId.Local, old));
        Assert.Equal(1, await backend.Originals.SweepExpiredAsync());
        Assert.Equal(0, await backend.Originals.SweepExpiredAsync());
        Assert.Equal("kept"u8.ToArray(), await backend.Originals.GetAsync(TenantId.Local, kept));
    }

    [Fact]
    public async Task TenantId_FromApiKey_IsStableSaltedAndHidesTheKey()
    {
        await Task.CompletedTask;
        var a = TenantId.FromApiKey("sk-secret", Salt);
        var b = TenantId.FromApiKey("sk-secret", Salt);
        var otherSalt = TenantId.FromApiKey("sk-secret", Encoding.UTF8.GetBytes("another-salt-of-16+bytes"));

        Assert.Equal(a, b);
        Assert.NotEqual(a, otherSalt);
        Assert.DoesNotContain("secret", a.Value, StringComparison.Ordinal);
        Assert.Equal("local", TenantId.Local.Value);
        Assert.Throws<ArgumentException>(() => TenantId.FromApiKey("k", new byte[4]));
    }
}
