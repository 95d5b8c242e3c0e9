using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Infrastructure;
using Headroom.Provenance;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Tests.Providers;

/// <summary>
/// Gemini's API through the gateway: routed to <c>Headroom:Upstreams:Gemini</c>, forwarded untouched both
/// ways (no walker yet), usage read from <c>usageMetadata</c>, the API key never kept.
/// </summary>
public sealed class GeminiForwardingTests
{
    private const string HeaderKey = "AIzaSyHeaderKeyForGeminiTests0000000";
    private const string QueryKey = "AIzaSyQueryKeyForGeminiTests00000000";
    private const string Generate = "/v1beta/models/gemini-2.5-flash:generateContent";
    private const string Stream = "/v1beta/models/gemini-2.5-pro:streamGenerateContent";

    private static readonly byte[] RequestBody = Encoding.UTF8.GetBytes(
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"r\\u00e9sum\\u00e9 the log \ud83d\ude00\"}]}] ,\n \"generationConfig\":{\"temperature\":1.0e0}}");

    /// <summary>The Gemini upstream is scripted; Anthropic and OpenAI point at a closed port, so a wrong choice fails.</summary>
    private static async Task<TestGateway> StartAsync(ScriptedUpstream gemini)
    {
        var dead = ClosedPort.Url();
        return await TestGateway.StartAsync(dead, dead, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = gemini.BaseUrl });
    }

    private static HttpRequestMessage Post(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new ByteArrayContent(RequestBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-goog-api-key", HeaderKey);
        return request;
    }

    [Fact]
    public async Task GenerateContent_JsonByteIdenticalBothWays_UpstreamSeesItsOwnHost_UsageInLedger()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = UpstreamReply.Json(Fixture.Text("gemini-generate-content.json"));
        upstream.Always(Generate, reply);
        await using var gateway = await StartAsync(upstream);

        using var request = Post(Generate);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reply.AllBytes(), await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(upstream.Refused);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(RequestBody, received.Body);
        Assert.Equal(upstream.Authority, received.Headers["host"]);
        Assert.Equal(HeaderKey, received.Headers["x-goog-api-key"]);

        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.Equal(Provider.Gemini, record.Provider);
        Assert.Equal(ApiKind.GeminiGenerate, record.Api);
        Assert.Equal("gemini-2.5-flash", record.Model);
        Assert.Equal("mPcuaYGhJvS1xN8Pq4zW0Qs", record.ResponseId);
        // promptTokenCount 1200 includes the 1000 cached; output = candidates 50 + thoughts 30.
        Assert.Equal(new TokenUsage { InputTokens = 200, CacheReadTokens = 1000, OutputTokens = 80 }, record.Usage);
        var model = Assert.Single(gateway.Ledger.Snapshot().Models, m => m.Provider == Provider.Gemini);
        Assert.Equal(80, model.Usage.OutputTokens);
    }

    [Fact]
    public async Task GenerateContent_HasAGenAiSpan_WithProviderGcpGemini()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Headroom.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(Generate, UpstreamReply.Json(Fixture.Text("gemini-generate-content.json")));
        await using var gateway = await StartAsync(upstream);

        using var request = Post(Generate);
        using var response = await gateway.Client.SendAsync(request);
        var id = response.Headers.GetValues("x-headroom-request-id").Single();
        for (var i = 0; i < 300 && !spans.Any(s => (string?)s.GetTagItem("headroom.request_id") == id); i++)
        {
            await Task.Delay(10);
        }

        var span = spans.Single(s => (string?)s.GetTagItem("headroom.request_id") == id);
        Assert.Equal("gcp.gemini", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gemini-2.5-flash", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(1200L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(80L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(1000L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
    }

    [Fact]
    public async Task StreamGenerateContent_Sse_ByteIdenticalAndUnbuffered_FinalUsageFromLastEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = UpstreamReply.Sse(Fixture.Text("gemini-stream.sse")) with { GatesBeforeChunk = new Dictionary<int, Task> { [1] = gate.Task } };
        upstream.Always(Stream, reply);
        await using var gateway = await StartAsync(upstream);

        using var request = Post(Stream + "?alt=sse");
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The first event reaches the client while the upstream still holds the second.
        var first = new byte[reply.Chunks[0].Length];
        await body.ReadExactlyAsync(first);
        Assert.Equal(reply.Chunks[0], first);
        gate.SetResult();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest);
        Assert.Equal(reply.AllBytes(), first.Concat(rest.ToArray()).ToArray());

        var received = Assert.Single(upstream.Requests);
        Assert.Equal(Stream + "?alt=sse", received.PathAndQuery);
        Assert.Equal(RequestBody, received.Body);
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.Equal(ApiKind.GeminiStream, record.Api);
        Assert.True(record.Streamed);
        Assert.Equal("gemini-2.5-pro", record.Model);
        Assert.Equal(new TokenUsage { InputTokens = 300, CacheReadTokens = 600, OutputTokens = 144 }, record.Usage);
    }

    [Fact]
    public async Task StreamGenerateContent_WithoutAltSse_JsonArray_UsageFromLastElement()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var events = Fixture.Text("gemini-stream.sse").Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]);
        var array = "[" + string.Join(",\r\n", events) + "]";
        var reply = UpstreamReply.Json(array);
        upstream.Always(Stream, reply);
        await using var gateway = await StartAsync(upstream);

        using var request = Post(Stream);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(reply.AllBytes(), await response.Content.ReadAsByteArrayAsync());
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.False(record.Streamed);
        Assert.Equal(new TokenUsage { InputTokens = 300, CacheReadTokens = 600, OutputTokens = 144 }, record.Usage);
    }

    [Fact]
    public async Task ApiKey_InHeaderOrQuery_IsForwarded_ButNeverStoredNorInTheFeed()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(Generate, UpstreamReply.Json(Fixture.Text("gemini-generate-content.json")));
        upstream.Always(Stream, UpstreamReply.Sse(Fixture.Text("gemini-stream.sse")));
        await using var gateway = await StartAsync(upstream);

        using var byHeader = Post(Generate);
        using var first = await gateway.Client.SendAsync(byHeader);
        using var byQuery = new HttpRequestMessage(HttpMethod.Post, Stream + "?alt=sse&key=" + QueryKey) { Content = new ByteArrayContent(RequestBody) };
        using var second = await gateway.Client.SendAsync(byQuery);
        await second.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains(upstream.Requests, r => r.PathAndQuery.EndsWith("&key=" + QueryKey, StringComparison.Ordinal));
        var ids = new[] { first, second }.Select(r => r.Headers.GetValues("x-headroom-request-id").Single()).ToList();
        foreach (var id in ids)
        {
            var record = await gateway.WaitForRecordAsync(id);
            Assert.DoesNotContain("key=", record.Path, StringComparison.Ordinal);
            Assert.StartsWith("t_", record.Tenant, StringComparison.Ordinal); // the key's tenant, never the key
        }

        // Every stored event of both requests (one request_completed each), as JSON.
        var store = gateway.App.Services.GetRequiredService<ProvenanceStore>();
        var stored = new List<string>();
        for (var i = 0; i < 500 && stored.Count(s => s.StartsWith("request_completed", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(20);
            stored = (await store.Events.ReadAllAsync(0, 10_000)).Select(e => e.Type + " " + Encoding.UTF8.GetString(e.Data.Span)).ToList();
        }

        Assert.Equal(2, stored.Count(s => s.StartsWith("request_completed", StringComparison.Ordinal)));
        Assert.Contains(stored, s => s.Contains(Generate, StringComparison.Ordinal));
        Assert.Contains(stored, s => s.Contains("gcp.gemini", StringComparison.Ordinal));
        var feed = await gateway.Client.GetStringAsync("/telemetry/feed?after=0&limit=100&wait=5");
        Assert.NotEmpty(feed);
        foreach (var text in stored.Append(feed))
        {
            Assert.DoesNotContain(HeaderKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(QueryKey, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeadUpstream_Gives502InGeminiShape()
    {
        await using var gateway = await TestGateway.StartAsync(ClosedPort.Url(), ClosedPort.Url(), new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = ClosedPort.Url() });

        using var request = Post(Generate);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(502, error.GetProperty("code").GetInt32());
        Assert.Equal("UNAVAILABLE", error.GetProperty("status").GetString());
        Assert.Contains("could not reach the upstream", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(json.RootElement.TryGetProperty("type", out _));
        Assert.False(error.TryGetProperty("type", out _));

        // The body names no model and no response came: the ledger takes it from the path.
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.Equal("gemini-2.5-flash", record.RequestModel);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodyOverLimit_Gets413InGeminiShape_NothingForwarded(bool chunked)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(Generate, UpstreamReply.Json("{}"));
        var dead = ClosedPort.Url();
        await using var gateway = await TestGateway.StartAsync(dead, dead, new Dictionary<string, string?>
        {
            ["Headroom:Upstreams:Gemini"] = upstream.BaseUrl,
            ["Headroom:MaxBodyBytes"] = "1000",
        });
        var big = Encoding.UTF8.GetBytes("{\"contents\":[{\"parts\":[{\"text\":\"" + new string('x', 5000) + "\"}]}]}");

        using var request = new HttpRequestMessage(HttpMethod.Post, Generate)
        {
            Content = chunked ? new StreamContent(new MemoryStream(big)) : new ByteArrayContent(big),
        };
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(413, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", json.RootElement.GetProperty("error").GetProperty("status").GetString());
        Assert.DoesNotContain(upstream.Requests, r => r.Body.Length == big.Length);
    }

    [Fact]
    public async Task UpstreamResetMidStream_EndsSseWithGeminiErrorEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = UpstreamReply.Sse(Fixture.Text("gemini-stream.sse")) with { AbortAfterChunks = 1, GateBeforeAbort = gate.Task };
        upstream.Always(Stream, reply);
        await using var gateway = await StartAsync(upstream);

        using var request = Post(Stream + "?alt=sse");
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var head = new byte[reply.Chunks[0].Length];
        await body.ReadExactlyAsync(head);
        gate.SetResult();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest);

        var tail = Encoding.UTF8.GetString(rest.ToArray());
        Assert.StartsWith("data: {\"error\":", tail, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(tail["data: ".Length..].Trim());
        Assert.Equal(502, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("UNAVAILABLE", json.RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1beta/models")]
    [InlineData("GET", "/v1beta/models/gemini-2.5-flash")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash:countTokens")]
    [InlineData("POST", "/v1beta/cachedContents")]
    [InlineData("GET", "/v1beta/cachedContents/abc123")]
    public async Task OtherGeminiRoutes_ForwardedUntouchedToTheGeminiUpstream(string method, string path)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = UpstreamReply.Json("{\"models\":[{\"name\":\"models/gemini-2.5-flash\"}],\"totalTokens\":31}");
        upstream.Always(path, reply);
        await using var gateway = await StartAsync(upstream);

        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?pageSize=50");
        request.Headers.Add("x-goog-api-key", HeaderKey);
        if (method == "POST")
        {
            request.Content = new ByteArrayContent(RequestBody);
        }

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reply.AllBytes(), await response.Content.ReadAsByteArrayAsync());
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(path + "?pageSize=50", received.PathAndQuery);
        Assert.Equal(method == "POST" ? RequestBody : [], received.Body);
        Assert.Equal(HeaderKey, received.Headers["x-goog-api-key"]);
    }

    [Fact]
    public async Task Healthz_ListsTheGeminiUpstream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);

        using var json = JsonDocument.Parse(await gateway.Client.GetStringAsync("/healthz"));

        Assert.Equal(upstream.BaseUrl, json.RootElement.GetProperty("geminiUpstream").GetString());
    }
}
