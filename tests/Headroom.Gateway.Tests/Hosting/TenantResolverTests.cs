using System.Globalization;
using System.Text;
using Headroom.Gateway.Hosting;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Tests.Hosting;

/// <summary>The resolver remembers recently hashed keys; a remembered key must give exactly the tenant its hash gives.</summary>
public sealed class TenantResolverTests
{
    private const string Salt = "tenant-resolver-test-salt-0123456789";

    private static readonly TenantResolver Resolver = new(Options.Create(new GatewayOptions { TenantSalt = Salt }));

    private static HttpRequest Request(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context.Request;
    }

    [Fact]
    public void Resolve_ManyKeysInTurn_EachGetsItsOwnHashedTenant()
    {
        // More keys than the resolver remembers, twice over: hits, misses and evictions all give the hash.
        var keys = Enumerable.Range(0, 300).Select(i => "sk-ant-key-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        for (var round = 0; round < 2; round++)
        {
            foreach (var key in keys)
            {
                Assert.Equal(TenantId.FromApiKey(key, Encoding.UTF8.GetBytes(Salt)), Resolver.Resolve(Request("x-api-key", key)));
            }
        }
    }

    [Fact]
    public void Resolve_SameKeyByHeaderOrBearer_IsOneTenant_AndAnotherKeyIsNot()
    {
        var byHeader = Resolver.Resolve(Request("x-api-key", "sk-ant-alice"));
        var byBearer = Resolver.Resolve(Request("Authorization", "Bearer sk-ant-alice"));
        var other = Resolver.Resolve(Request("x-api-key", "sk-ant-bob"));

        Assert.Equal(byHeader, byBearer);
        Assert.Equal(byHeader, Resolver.Resolve(Request("x-api-key", "sk-ant-alice")));
        Assert.NotEqual(byHeader, other);
    }
}
