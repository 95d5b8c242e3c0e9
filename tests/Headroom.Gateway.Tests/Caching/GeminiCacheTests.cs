using System.Text.Json.Nodes;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>
/// Cache verdicts for Gemini's implicit caching: the prefix (systemInstruction, tools, contents) is
/// fingerprinted like the other APIs', so a session's requests are judged hit, broken (with the
/// cause), or expired, and the verdict is checked against the <c>cachedContentTokenCount</c> Gemini reports.
/// </summary>
public sealed class GeminiCacheTests
{
    private const string Path = "/v1beta/models/gemini-2.5-flash:generateContent";

    private static string Body(string system, int turns) => new JsonObject
    {
        ["contents"] = new JsonArray(Enumerable.Range(0, turns).Select(i => (JsonNode)new JsonObject
        {
            ["role"] = i % 2 == 0 ? "user" : "model",
            ["parts"] = new JsonArray { new JsonObject { ["text"] = $"turn {i}: " + string.Concat(Enumerable.Repeat("the build log shows a flaky test. ", 40)) } },
        }).ToArray()),
        ["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = system } } },
        ["tools"] = new JsonArray { new JsonObject { ["functionDeclarations"] = new JsonArray { new JsonObject { ["name"] = "run_shell_command", ["parametersJsonSchema"] = new JsonObject { ["type"] = "object" } } } } },
    }.ToJsonString();

    private static UpstreamReply Reply(int prompt, int cached) => UpstreamReply.Json(new JsonObject
    {
        ["candidates"] = new JsonArray { new JsonObject { ["content"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = "ok" } }, ["role"] = "model" }, ["finishReason"] = "STOP" } },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = prompt, ["candidatesTokenCount"] = 1, ["totalTokenCount"] = prompt + 1, ["cachedContentTokenCount"] = cached },
    }.ToJsonString());

    [Fact]
    public async Task GrowingConversation_IsHit_ChangedSystemInstruction_IsBrokenAtSystem()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = upstream.BaseUrl });
        const string System = "You are Gemini CLI, an interactive agent for software engineering tasks.";
        upstream.Next(Path, Reply(3000, 0));
        upstream.Next(Path, Reply(4500, 2900));
        upstream.Next(Path, Reply(6000, 0));

        var (_, first, _) = await host.PostAsync(Path, Body(System, 3), "gemini-cache");
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var (_, second, _) = await host.PostAsync(Path, Body(System, 5), "gemini-cache");
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var (_, third, _) = await host.PostAsync(Path, Body(System + " Today is 2026-12-02.", 7), "gemini-cache");

        var records = new[] { await host.RecordAsync(first), await host.RecordAsync(second), await host.RecordAsync(third) };
        Assert.Equal([CacheVerdict.Cold, CacheVerdict.Hit, CacheVerdict.Broken], records.Select(r => CacheTestHost.Notes(r).Verdict));
        var broken = CacheTestHost.Notes(records[2]);
        Assert.Equal(CacheVerdict.SystemChanged, broken.Cause);
        Assert.StartsWith("system", broken.BrokenAt, StringComparison.Ordinal);
        Assert.Equal(300, CacheTestHost.Notes(records[1]).TtlSeconds);
        Assert.Equal(2900, records[1].Usage!.CacheReadTokens);
        Assert.Equal(1600, records[1].Usage!.InputTokens);
        Assert.Equal(0, CacheTestHost.Notes(records[0]).BreakpointsPlaced); // implicit caching: nothing to place
    }

    [Fact]
    public async Task GapLongerThanTheAssumedTtl_IsExpired()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = upstream.BaseUrl, ["Headroom:Caching:GeminiTtlSeconds"] = "120" });
        upstream.Next(Path, Reply(3000, 0));
        upstream.Next(Path, Reply(4500, 0));

        var (_, first, _) = await host.PostAsync(Path, Body("system", 3), "gemini-ttl");
        host.Clock.Advance(TimeSpan.FromSeconds(200));
        var (_, second, _) = await host.PostAsync(Path, Body("system", 5), "gemini-ttl");

        Assert.Equal(CacheVerdict.TtlExpired, CacheTestHost.Notes(await host.RecordAsync(second)).Verdict);
        Assert.Equal(CacheVerdict.Cold, CacheTestHost.Notes(await host.RecordAsync(first)).Verdict);
    }
}
