using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Forwarding;

/// <summary>Invariant 1: bytes the gateway did not mean to change reach the other side byte-identical.</summary>
public sealed class PassthroughTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        { "/v1/messages", "{\"model\":\"claude-sonnet-4-5\",  \"max_tokens\":64,\n \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9llo \\ud83d\\ude00 \u00fcber\"}] ,\"x\":1.000e+00}" },
        { "/v1/messages", "this is {not json" },
        { "/v1/messages", "{\"truncated\": [1, 2," },
        { "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\\tb\"}],\"stream\":false}" },
        { "/v1/responses", "{\"model\":\"gpt-5\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"ok\"}]}" },
        { "/v1/messages/count_tokens", "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}" },
        { "/v1/files", "--boundary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\u0001\u0002\r\n--boundary--" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task RequestBody_ReachesUpstreamByteIdentical(string path, string body)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(path, UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var bytes = Encoding.UTF8.GetBytes(body);

        using var request = new HttpRequestMessage(HttpMethod.Post, path + "?beta=true") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", "sk-ant-test-key");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-openai-test");
        request.Headers.Add("x-headroom-session-id", "s1");
        request.Headers.Add("x-headroom-mode", "off");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(received.Body));
        Assert.Equal(path + "?beta=true", received.PathAndQuery);
        Assert.Equal("sk-ant-test-key", received.Headers["x-api-key"]);
        Assert.Equal("Bearer sk-openai-test", received.Headers["authorization"]);
        Assert.Equal("2023-06-01", received.Headers["anthropic-version"]);
        Assert.DoesNotContain(received.Headers.Keys, k => k.StartsWith("x-headroom-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ChunkedRequestBody_ReachesUpstreamByteIdentical()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var bytes = Encoding.UTF8.GetBytes("{\"messages\":[" + string.Join(',', Enumerable.Range(0, 5000).Select(i => $"{{\"n\":{i}}}")) + "]}");

        using var content = new StreamContent(new MemoryStream(bytes)); // no length: sent chunked
        using var response = await gateway.Client.PostAsync("/v1/messages", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, Assert.Single(upstream.Requests).Body);
    }

    [Theory]
    [InlineData("anthropic-message-tool-use.json", "/v1/messages")]
    [InlineData("openai-chat-completion.json", "/v1/chat/completions")]
    [InlineData("openai-response.json", "/v1/responses")]
    public async Task JsonResponse_ReachesClientByteIdentical(string fixture, string path)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = UpstreamReply.Json(Fixture.Text(fixture)) with
        {
            Headers = new Dictionary<string, string> { ["request-id"] = "req_011CUp", ["anthropic-ratelimit-requests-remaining"] = "49" },
        };
        upstream.Always(path, reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await gateway.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(reply.AllBytes(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("req_011CUp", response.Headers.GetValues("request-id").Single());
        Assert.Equal("49", response.Headers.GetValues("anthropic-ratelimit-requests-remaining").Single());
    }

    [Theory]
    [InlineData("anthropic-stream-tool-use.sse", "/v1/messages")]
    [InlineData("openai-chat-stream-usage.sse", "/v1/chat/completions")]
    [InlineData("openai-responses-stream.sse", "/v1/responses")]
    public async Task SseResponse_ReachesClientByteIdentical(string fixture, string path)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = UpstreamReply.Sse(Fixture.Text(fixture));
        upstream.Always(path, reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await gateway.Client.PostAsync(path, new StringContent("{\"stream\":true}"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reply.AllBytes(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Sse_IsNotBuffered_ClientHasEventOneBeforeUpstreamWritesEventTwo()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = UpstreamReply.Sse(Fixture.Text("anthropic-stream-tool-use.sse")) with
        {
            GatesBeforeChunk = new Dictionary<int, Task> { [1] = gate.Task },
        };
        upstream.Always("/v1/messages", reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{\"stream\":true}") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();

        // Event 1 must arrive while the upstream is still held before event 2.
        var first = reply.Chunks[0];
        var received = new byte[first.Length];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(received, timeout.Token);
        Assert.Equal(first, received);
        Assert.Single(upstream.ChunkLog); // upstream has not written event 2 yet

        gate.SetResult();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest, timeout.Token);
        Assert.Equal(reply.AllBytes()[first.Length..], rest.ToArray());
    }

    [Fact]
    public async Task UpstreamError_ReachesClientAsSent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        const string body = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},\"request_id\":\"req_1\"}";
        upstream.Always("/v1/messages", UpstreamReply.Json(body, 429) with { Headers = new Dictionary<string, string> { ["retry-after"] = "17" } });
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("17", response.Headers.GetValues("retry-after").Single());
        Assert.True(response.Headers.Contains("x-headroom-request-id"));
    }

    [Fact]
    public async Task GetRequests_PassThrough()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/models", UpstreamReply.Json("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5\",\"object\":\"model\"}]}"));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await gateway.Client.GetAsync("/v1/models?limit=5");

        Assert.Equal("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5\",\"object\":\"model\"}]}", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(upstream.Requests);
        Assert.Equal("GET", received.Method);
        Assert.Equal("/v1/models?limit=5", received.PathAndQuery);
    }

    [Fact]
    public async Task OutgoingRequest_WhileHttpClientTracingIsListenedTo_CarriesNoTraceHeadersOfTheGateways()
    {
        // Someone in the process samples HttpClient's outgoing-request activity (an APM agent, a test):
        // the gateway's request to the provider must still carry only what the client sent.
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream);

        // A client that adds no trace headers of its own.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.Address };
        using var response = await client.PostAsync("/v1/messages", new StringContent("{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(upstream.Requests);
        Assert.DoesNotContain(received.Headers.Keys, k => k is "traceparent" or "tracestate" or "request-id" or "correlation-context" or "baggage");
    }
}
