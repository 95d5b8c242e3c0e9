using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Forwarding;

public sealed class RequestIdTests
{
    [Fact]
    public void Next_IsUniqueAndStrictlyIncreasing()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => RequestIds.Next()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Equal(26, id.Length));
    }

    [Fact]
    public void Next_SortsByTimeAcrossMilliseconds()
    {
        var earlier = RequestIds.Next(1_700_000_000_000);
        var later = RequestIds.Next(1_700_000_000_001);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public async Task EveryProxiedResponse_CarriesARequestId()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));
            ids.Add(response.Headers.GetValues("x-headroom-request-id").Single());
        }

        Assert.Equal(5, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }
}
