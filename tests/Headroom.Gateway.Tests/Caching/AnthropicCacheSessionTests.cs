using System.Text;
using System.Text.Json;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>Scripted Anthropic sessions through the real gateway: breakpoints, verdicts and money.</summary>
public sealed class AnthropicCacheSessionTests
{
    private const string Path = "/v1/messages";
    private static readonly string System = "You are a careful coding agent. Today's date is 2026-11-21. " + Requests.Padding("rules", 1200);

    [Fact]
    public async Task CleanSession_PlacesThreeBreakpoints_VerdictsColdHitHit_MoneyExact()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 50, write5m: 3000)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 120, output: 40, read: 3000, write5m: 200)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 80, output: 30, read: 3200, write5m: 150)));

        var records = new List<Headroom.Gateway.Telemetry.RequestRecord>();
        for (var turn = 1; turn <= 3; turn++)
        {
            var (_, id, response) = await host.PostAsync(Path, Requests.Anthropic(System, turn), "clean");
            Assert.True(response.IsSuccessStatusCode);
            records.Add(await host.RecordAsync(id));
            host.Clock.Advance(TimeSpan.FromSeconds(40));
        }

        // §1: end of tools, end of system (a string system prompt wrapped, its token kept), last message block.
        var sent = upstream.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        foreach (var body in sent)
        {
            Assert.Equal("ephemeral", body.GetProperty("tools")[2].GetProperty("cache_control").GetProperty("type").GetString());
            Assert.False(body.GetProperty("tools")[1].TryGetProperty("cache_control", out _));
            Assert.Equal(System, body.GetProperty("system")[0].GetProperty("text").GetString());
            Assert.True(body.GetProperty("system")[0].TryGetProperty("cache_control", out _));
            var last = body.GetProperty("messages")[body.GetProperty("messages").GetArrayLength() - 1];
            Assert.True(last.GetProperty("content")[0].TryGetProperty("cache_control", out _));
            Assert.Equal(3, Encoding.UTF8.GetString(upstream.Requests.First().Body).Split("cache_control").Length - 1);
        }

        // §5: cold, then hit, hit; the gateway placed the breakpoints.
        Assert.Equal([CacheVerdict.Cold, CacheVerdict.Hit, CacheVerdict.Hit], records.Select(r => CacheTestHost.Notes(r).Verdict));
        Assert.All(records, r => Assert.Equal(3, CacheTestHost.Notes(r).BreakpointsPlaced));
        Assert.Equal(40, CacheTestHost.Notes(records[1]).GapSeconds);

        // §6: claude-sonnet-4-5 at $3 in, $15 out, $0.30 read, $3.75 5-min write per million.
        var first = CostModel.Compute(records[0], Gateway.Pricing.ModelPriceTable.Default);
        Assert.Equal(0.0123m, first.BilledUsd);         // 100·3 + 50·15 + 3000·3.75
        Assert.Equal(-0.00225m, first.CachingSavedUsd); // a first write costs 0.25× more than input
        Assert.Equal(0.01005m, first.NoGatewayUsd);     // 3100·3 + 50·15
        var second = CostModel.Compute(records[1], Gateway.Pricing.ModelPriceTable.Default);
        Assert.Equal(0.00261m, second.BilledUsd);       // 120·3 + 40·15 + 3000·0.3 + 200·3.75
        Assert.Equal(0.00795m, second.CachingSavedUsd); // 3200·3 − (3000·0.3 + 200·3.75)
        Assert.Equal(0.01056m, second.NoGatewayUsd);    // 3320·3 + 40·15
        Assert.Equal(0m, second.CompressionSavedUsd);

        // §7: the feed has the same figures, in order.
        var feed = await host.FeedAsync(3);
        Assert.Equal(records.Select(r => r.RequestId), feed.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(["cold", "hit", "hit"], feed.Select(l => l.GetProperty("verdict").GetString()));
        Assert.Equal(0.00261m, feed[1].GetProperty("usd").GetDecimal());
        Assert.Equal(0.00795m, feed[1].GetProperty("savedUsd").GetDecimal());
        Assert.Equal(3000, feed[1].GetProperty("cacheRead").GetInt64());
        Assert.Equal(200, feed[1].GetProperty("cacheWrite").GetInt64());
        Assert.Equal("consistent", feed[1].GetProperty("check").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DateInSystemPrompt_Changes_BrokenAtSystemWithTheChangedSpan(bool stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        for (var i = 0; i < 2; i++)
        {
            upstream.Next(Path, stream
                ? UpstreamReply.Sse(Requests.AnthropicStreamReply(input: 3100, output: 20, read: 0, write5m: 0))
                : UpstreamReply.Json(Requests.AnthropicReply(input: 3100, output: 20)));
        }

        var (_, a, _) = await host.PostAsync(Path, Requests.Anthropic(System, 1, stream: stream), "dated");
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var (body, b, _) = await host.PostAsync(Path, Requests.Anthropic(System.Replace("2026-11-21", "2026-11-22", StringComparison.Ordinal), 2, stream: stream), "dated");
        var first = await host.RecordAsync(a);
        var second = await host.RecordAsync(b);

        var notes = CacheTestHost.Notes(second);
        Assert.Equal(CacheVerdict.Cold, CacheTestHost.Notes(first).Verdict);
        Assert.Equal(CacheVerdict.Broken, notes.Verdict);
        Assert.Equal("system[0]", notes.BrokenAt);
        Assert.Equal(CacheVerdict.SystemChanged, notes.Cause);
        Assert.Contains("\"2026-11-21\" → \"2026-11-22\"", notes.Detail, StringComparison.Ordinal);
        Assert.Contains(notes.Volatile, v => v.Where == "system" && v.Kind == "date" && v.Value == "2026-11-22");
        Assert.Equal(3100, second.Usage!.InputTokens);
        Assert.Equal(stream, second.Streamed);
        if (stream)
        {
            Assert.Contains("message_stop", body, StringComparison.Ordinal);
        }

        // Money: nothing cached, nothing compressed: billed = no-gateway = 3100·3 + 20·15.
        var cost = CostModel.Compute(second, Gateway.Pricing.ModelPriceTable.Default);
        Assert.Equal(0.0096m, cost.BilledUsd);
        Assert.Equal(0.0096m, cost.NoGatewayUsd);
        var feed = await host.FeedAsync(2);
        Assert.Equal("broken", feed[1].GetProperty("verdict").GetString());
        Assert.Equal("system_changed", feed[1].GetProperty("cause").GetString());
        Assert.Equal("system[0]", feed[1].GetProperty("at").GetString());
    }

    [Fact]
    public async Task GapOverFiveMinutes_OnTheFakeClock_IsTtlExpired()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 10, write5m: 3000)));

        var (_, a, _) = await host.PostAsync(Path, Requests.Anthropic(System, 1), "gap");
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        var (_, b, _) = await host.PostAsync(Path, Requests.Anthropic(System, 2), "gap");
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var (_, c, _) = await host.PostAsync(Path, Requests.Anthropic(System, 3), "gap");

        var expired = CacheTestHost.Notes(await host.RecordAsync(b));
        Assert.Equal(CacheVerdict.TtlExpired, expired.Verdict);
        Assert.Equal(360, expired.GapSeconds);
        Assert.Equal(300, expired.TtlSeconds);
        Assert.Equal(CacheVerdict.Hit, CacheTestHost.Notes(await host.RecordAsync(c)).Verdict);
        Assert.Equal(CacheVerdict.Cold, CacheTestHost.Notes(await host.RecordAsync(a)).Verdict);
    }

    [Fact]
    public async Task ToolsChange_IsBrokenAtToolsNamingTheTool()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 10)));

        await host.PostAsync(Path, Requests.Anthropic(System, 1), "tools");
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        var (_, b, _) = await host.PostAsync(Path, Requests.Anthropic(System, 2, tools: [.. Requests.DefaultTools, "web_fetch"]), "tools");

        var notes = CacheTestHost.Notes(await host.RecordAsync(b));
        Assert.Equal(CacheVerdict.Broken, notes.Verdict);
        Assert.Equal("tools", notes.BrokenAt);
        Assert.Equal(CacheVerdict.ToolsChanged, notes.Cause);
        Assert.Equal("tools: added web_fetch", notes.Detail);
    }

    [Fact]
    public async Task ClientBreakpoints_AreLeftAlone_BytesForwardedAsSent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 10, read: 2000)));

        var json = Requests.Anthropic(System, 2, clientCache: true);
        var (_, id, _) = await host.PostAsync(Path, json, "client-cache");

        Assert.Equal(ExpectedBody.WithRetrieveToolText(json, Gateway.Providers.ApiKind.AnthropicMessages), Encoding.UTF8.GetString(upstream.Requests.Single().Body));
        var record = await host.RecordAsync(id);
        var notes = CacheTestHost.Notes(record);
        Assert.Equal("client", notes.BreakpointsBy);
        Assert.Equal(0, notes.BreakpointsPlaced);

        // The client's caching is not the gateway's saving.
        Assert.Equal(0m, CostModel.Compute(record, Gateway.Pricing.ModelPriceTable.Default).CachingSavedUsd);
    }

    [Fact]
    public async Task BreakpointsOff_ForwardsTheBodyUntouched()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Caching:Breakpoints"] = "false" });
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 10)));

        var json = Requests.Anthropic(System, 1);
        await host.PostAsync(Path, json, "off");

        Assert.Equal(ExpectedBody.WithRetrieveToolText(json, Gateway.Providers.ApiKind.AnthropicMessages), Encoding.UTF8.GetString(upstream.Requests.Single().Body));
    }

    [Fact]
    public async Task SmallPrompt_BelowTheModelsMinimum_GetsNoBreakpoint()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 30, output: 10)));

        var json = """{"model":"claude-haiku-4-5","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"hi"}]}""";
        var (_, id, _) = await host.PostAsync(Path, json, "small");

        Assert.Equal(json, Encoding.UTF8.GetString(upstream.Requests.Single().Body)); // no tools declared: no retrieve tool either
        var notes = CacheTestHost.Notes(await host.RecordAsync(id));
        Assert.Equal(0, notes.BreakpointsPlaced);
        Assert.Contains(notes.BreakpointNotes, n => n.Contains("minimum of 4096", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LongGaps_ChooseOneHour_AndEveryBreakpointCarriesIt()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 10)));

        string? id = null;
        for (var turn = 1; turn <= 5; turn++)
        {
            (_, id, _) = await host.PostAsync(Path, Requests.Anthropic(System, turn), "slow");
            host.Clock.Advance(TimeSpan.FromMinutes(12)); // a sub-agent that outlives the 5-minute TTL every time
        }

        var notes = CacheTestHost.Notes(await host.RecordAsync(id!));
        Assert.Equal("1h", notes.Ttl);
        Assert.NotNull(notes.TtlExpectedSavingUsd);
        Assert.True(notes.TtlExpectedSavingUsd > 0);
        var last = Encoding.UTF8.GetString(upstream.Requests.Last().Body);
        Assert.Equal(3, last.Split("\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}").Length - 1);
        Assert.DoesNotContain("\"cache_control\":{\"type\":\"ephemeral\"}", last, StringComparison.Ordinal);

        // The first requests had too few gaps to decide: 5 minutes.
        var first = Encoding.UTF8.GetString(upstream.Requests.First().Body);
        Assert.DoesNotContain("\"ttl\":\"1h\"", first, StringComparison.Ordinal);
    }
}
