using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>Usage read from the response tee, for every provider shape, JSON and streaming.</summary>
public sealed class UsageAccountingTests
{
    public static TheoryData<string, string, string, long, long, long, long, long> Cases => new()
    {
        // fixture, path, model, input (uncached), output, cache read, write 5m, write 1h
        { "anthropic-stream-tool-use.sse", "/v1/messages", "claude-sonnet-4-5-20250929", 472, 89, 12044, 1200, 630 },
        { "anthropic-message-tool-use.json", "/v1/messages", "claude-sonnet-4-5-20250929", 2095, 503, 31500, 0, 0 },
        { "openai-chat-stream-usage.sse", "/v1/chat/completions", "gpt-4o-2024-08-06", 180, 17, 1920, 0, 0 },
        { "openai-chat-completion.json", "/v1/chat/completions", "gpt-4.1-2025-04-14", 19, 10, 0, 0, 0 },
        { "openai-responses-stream.sse", "/v1/responses", "gpt-5-2025-08-07", 952, 50, 2048, 0, 0 },
        { "openai-response.json", "/v1/responses", "gpt-5-mini-2025-08-07", 200, 52, 128, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Usage_IsReadFromTheResponse(string fixture, string path, string model, long input, long output, long cacheRead, long write5m, long write1h)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var text = Fixture.Text(fixture);
        upstream.Always(path, fixture.EndsWith(".sse", StringComparison.Ordinal) ? UpstreamReply.Sse(text) : UpstreamReply.Json(text));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await gateway.Client.PostAsync(path, new StringContent("{}"));
        await response.Content.ReadAsByteArrayAsync();
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());

        Assert.Equal(model, record.Model);
        Assert.Equal(200, record.Status);
        Assert.Equal(fixture.EndsWith(".sse", StringComparison.Ordinal), record.Streamed);
        var usage = Assert.IsType<TokenUsage>(record.Usage);
        Assert.Equal(new TokenUsage { InputTokens = input, OutputTokens = output, CacheReadTokens = cacheRead, CacheWrite5mTokens = write5m, CacheWrite1hTokens = write1h }, usage);
        Assert.True(record.TotalMs >= record.TtfbMs);
        Assert.True(record.OverheadMs > 0 && record.OverheadMs <= record.TtfbMs);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), record.ResponseBytes);
    }

    [Fact]
    public void SseReader_GivesTheSameUsageWhateverTheChunking()
    {
        var bytes = Encoding.UTF8.GetBytes(Fixture.Text("anthropic-stream-tool-use.sse").Replace("\n", "\r\n", StringComparison.Ordinal));
        var whole = Read(bytes, bytes.Length);
        Assert.Equal(89, whole.Usage!.OutputTokens);
        foreach (var size in new[] { 1, 2, 3, 7, 64, 1000 })
        {
            var split = Read(bytes, size);
            Assert.Equal(whole.Usage, split.Usage);
            Assert.Equal(whole.Model, split.Model);
        }

        static UsageAccumulator Read(byte[] bytes, int size)
        {
            var usage = new UsageAccumulator();
            using var reader = new SseUsageReader(usage);
            for (var i = 0; i < bytes.Length; i += size)
            {
                reader.Feed(bytes.AsSpan(i, Math.Min(size, bytes.Length - i)));
            }

            reader.Complete();
            return usage;
        }
    }

    [Fact]
    public void Accumulator_IgnoresUsageInsideToolArguments()
    {
        var usage = new UsageAccumulator();
        usage.Observe("{\"content\":[{\"type\":\"tool_use\",\"input\":{\"usage\":{\"input_tokens\":5}}}],\"model\":\"m\"}"u8);

        Assert.Null(usage.Usage);
        Assert.Equal("m", usage.Model);
    }

    [Fact]
    public void Accumulator_ReadsAnthropicErrorEvents()
    {
        var usage = new UsageAccumulator();
        usage.Observe("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"u8);

        Assert.Equal("Overloaded", usage.ErrorMessage);
    }

    [Fact]
    public async Task Summary_ServesTotalsAndRecentRequests()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Sse(Fixture.Text("anthropic-stream-tool-use.sse")));
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        for (var i = 0; i < 2; i++)
        {
            using var a = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));
            await gateway.WaitForRecordAsync(a.Headers.GetValues("x-headroom-request-id").Single());
        }

        using var o = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("{}"));
        await gateway.WaitForRecordAsync(o.Headers.GetValues("x-headroom-request-id").Single());

        using var summary = await gateway.Client.GetAsync("/telemetry/summary");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        using var json = JsonDocument.Parse(await summary.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("requests").GetInt64());
        Assert.Equal(2 * 472 + 19, root.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        Assert.Equal(2 * 12044, root.GetProperty("usage").GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(3, root.GetProperty("recent").GetArrayLength());
        Assert.Equal("gpt-4.1-2025-04-14", root.GetProperty("recent")[0].GetProperty("model").GetString());
        Assert.Equal(2, root.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task Healthz_Answers()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var json = JsonDocument.Parse(await gateway.Client.GetStringAsync("/healthz"));

        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        // The build constant says what the assembly's own attribute says (read here, in the test process).
        var stamped = typeof(Headroom.Gateway.Hosting.GatewayHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(stamped, json.RootElement.GetProperty("version").GetString());
        var store = json.RootElement.GetProperty("store");
        Assert.True(store.GetProperty("available").GetBoolean());
        Assert.Equal(0, store.GetProperty("atRisk").GetInt64());
        Assert.Equal(0, store.GetProperty("writerRestarts").GetInt64());
        var scorer = json.RootElement.GetProperty("scorer");
        Assert.Equal("bm25", scorer.GetProperty("active").GetString());
        Assert.False(scorer.GetProperty("modelLoaded").GetBoolean());
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Healthz_SaysWhenTheConfiguredModelDidNotLoad_AndBm25Decides()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var missing = Path.Combine(Path.GetTempPath(), "headroom-no-model-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Compression:Text:Scorer"] = "model:" + missing });

        using var json = JsonDocument.Parse(await gateway.Client.GetStringAsync("/healthz"));

        var scorer = json.RootElement.GetProperty("scorer");
        Assert.Equal("bm25", scorer.GetProperty("active").GetString());
        Assert.False(scorer.GetProperty("modelLoaded").GetBoolean());
        Assert.False(string.IsNullOrEmpty(scorer.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Summary_WithAdminToken_RequiresTheBearerToken()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "s3cret" });

        using var denied = await gateway.Client.GetAsync("/telemetry/summary");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/telemetry/summary");
        request.Headers.Add("Authorization", "Bearer s3cret");
        using var allowed = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
