using System.Text;
using System.Text.Json;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Providers.OpenAI;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>prompt_cache_key and include_usage injection, usage-chunk stripping, OpenAI money.</summary>
public sealed class OpenAICacheTests
{
    private const string Chat = "/v1/chat/completions";
    private const string SystemPrompt = "You are a build assistant.";

    private static string ChatBody(bool stream, string? streamOptions = null, string system = SystemPrompt, string? key = null) =>
        "{\"model\":\"gpt-4o\"" + (stream ? ",\"stream\":true" : "") + (streamOptions is null ? "" : ",\"stream_options\":" + streamOptions)
        + (key is null ? "" : ",\"prompt_cache_key\":\"" + key + "\"")
        + ",\"messages\":[{\"role\":\"system\",\"content\":" + JsonSerializer.Serialize(system) + "},{\"role\":\"user\",\"content\":\"Why did the build fail?\"}]"
        + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"exec_command\",\"parameters\":{\"type\":\"object\"}}}]}";

    [Fact]
    public async Task StreamWithoutIncludeUsage_AsksUpstream_StripsTheChunk_TeeStillCountsIt()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Chat, UpstreamReply.Sse(Fixture.Text("openai-chat-stream-usage.sse")));

        var json = ChatBody(stream: true);
        var (clientStream, id, response) = await host.PostAsync(Chat, json, "oa-stream");

        // Upstream: the client's bytes plus two insertions after the root's '{' and the retrieve tool at the end of tools.
        var sent = Encoding.UTF8.GetString(upstream.Requests.Single().Body);
        var key = OpenAICachePlanner.Key(Encoding.UTF8.GetBytes(json), Gateway.LiveZone.RequestWalker.Walk(Encoding.UTF8.GetBytes(json), Gateway.Providers.ApiKind.OpenAIChat)!);
        Assert.Equal("{\"prompt_cache_key\":\"" + key + "\",\"stream_options\":{\"include_usage\":true}," + ExpectedBody.WithRetrieveToolText(json, Gateway.Providers.ApiKind.OpenAIChat)[1..], sent);

        // Client: every event but the usage chunk, byte for byte.
        var fixture = Fixture.Text("openai-chat-stream-usage.sse");
        var events = fixture.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var expected = string.Concat(events.Where(e => !e.Contains("\"choices\":[]", StringComparison.Ordinal)).Select(e => e + "\n\n"));
        Assert.Equal(expected, clientStream);
        Assert.Contains("data: [DONE]", clientStream, StringComparison.Ordinal);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        // The tee still saw the usage: 2100 prompt (1920 cached), 17 out.
        var record = await host.RecordAsync(id);
        Assert.Equal(180, record.Usage!.InputTokens);
        Assert.Equal(1920, record.Usage.CacheReadTokens);
        Assert.Equal(17, record.Usage.OutputTokens);
        var notes = CacheTestHost.Notes(record);
        Assert.True(notes.StripUsageChunk);
        Assert.True(notes.PromptCacheKeyInjected);

        // gpt-4o: $2.50 in, $1.25 cached, $10 out; OpenAI's caching is automatic, so not the gateway's saving.
        var cost = CostModel.Compute(record, Gateway.Pricing.ModelPriceTable.Default);
        Assert.Equal(0.00302m, cost.BilledUsd); // 180·2.5 + 1920·1.25 + 17·10
        Assert.Equal(0m, cost.CachingSavedUsd);
        Assert.Equal(0.00302m, cost.NoGatewayUsd);
    }

    [Fact]
    public async Task ClientAskedForUsage_GetsTheChunk_AndNoStreamOptionsChange()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        var fixture = Fixture.Text("openai-chat-stream-usage.sse");
        upstream.Always(Chat, UpstreamReply.Sse(fixture));

        var json = ChatBody(stream: true, streamOptions: "{\"include_usage\":true}");
        var (clientStream, id, _) = await host.PostAsync(Chat, json, "oa-asked");

        Assert.Equal(fixture, clientStream);
        var sent = Encoding.UTF8.GetString(upstream.Requests.Single().Body);
        Assert.EndsWith(ExpectedBody.WithRetrieveToolText(json, Gateway.Providers.ApiKind.OpenAIChat)[1..], sent, StringComparison.Ordinal);
        Assert.StartsWith("{\"prompt_cache_key\":\"hr-", sent, StringComparison.Ordinal);
        Assert.False(CacheTestHost.Notes(await host.RecordAsync(id)).StripUsageChunk);
    }

    [Theory]
    [InlineData("{\"include_obfuscation\":false}", "{\"include_usage\":true,\"include_obfuscation\":false}")]
    [InlineData("{\"include_usage\":false}", "{\"include_usage\":true}")]
    [InlineData("{}", "{\"include_usage\":true}")]
    [InlineData("null", "{\"include_usage\":true}")]
    public async Task ExistingStreamOptions_GetIncludeUsage_InPlace(string options, string forwarded)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Chat, UpstreamReply.Sse(Fixture.Text("openai-chat-stream-usage.sse")));

        var (clientStream, _, _) = await host.PostAsync(Chat, ChatBody(stream: true, streamOptions: options), "oa-options");

        var sent = Encoding.UTF8.GetString(upstream.Requests.Single().Body);
        Assert.Contains("\"stream_options\":" + forwarded + ",", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("\"choices\":[]", clientStream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptCacheKey_IsStableForTheSamePrefix_DiffersOtherwise_ClientKeyLeftAlone()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Chat, UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));

        await host.PostAsync(Chat, ChatBody(stream: false), "k1");
        await host.PostAsync(Chat, ChatBody(stream: false), "k2");
        await host.PostAsync(Chat, ChatBody(stream: false, system: "You are a test assistant."), "k3");
        var own = ChatBody(stream: false, key: "client-key");
        await host.PostAsync(Chat, own, "k4");

        var keys = upstream.Requests.Take(3).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("prompt_cache_key").GetString()).ToList();
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
        Assert.Matches("^hr-[0-9a-f]{32}$", keys[0]!);
        Assert.Equal(ExpectedBody.WithRetrieveToolText(own, Gateway.Providers.ApiKind.OpenAIChat), Encoding.UTF8.GetString(upstream.Requests.Last().Body));
        Assert.DoesNotContain("stream_options", Encoding.UTF8.GetString(upstream.Requests.First().Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_GetAPromptCacheKey_UnlessTheClientSentOne()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always("/v1/responses", UpstreamReply.Json(Fixture.Text("openai-response.json")));

        var plain = """{"model":"gpt-5","instructions":"Be terse.","input":"hello"}""";
        var codex = """{"model":"gpt-5","instructions":"Be terse.","input":"hello","prompt_cache_key":"codex-thread-1"}""";
        await host.PostAsync("/v1/responses", plain, "r1");
        await host.PostAsync("/v1/responses", codex, "r2");

        var first = Encoding.UTF8.GetString(upstream.Requests.First().Body);
        Assert.StartsWith("{\"prompt_cache_key\":\"hr-", first, StringComparison.Ordinal);
        Assert.EndsWith(plain[1..], first, StringComparison.Ordinal);
        Assert.Equal(codex, Encoding.UTF8.GetString(upstream.Requests.Last().Body));
    }
}
