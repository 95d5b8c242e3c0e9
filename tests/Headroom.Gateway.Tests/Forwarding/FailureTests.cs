using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Forwarding;

/// <summary>Gateway-side failures reach the client in the provider's own error shape; nothing crashes the gateway.</summary>
public sealed class FailureTests
{
    private static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    [Fact]
    public async Task ConnectRefused_Gives502InAnthropicShape()
    {
        var dead = ClosedPortUrl();
        await using var gateway = await TestGateway.StartAsync(dead, dead);

        using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("could not reach the upstream", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-headroom-request-id"));
    }

    [Fact]
    public async Task ConnectRefused_Gives502InOpenAIShape()
    {
        var dead = ClosedPortUrl();
        await using var gateway = await TestGateway.StartAsync(dead, dead);

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.False(json.RootElement.TryGetProperty("type", out _));
    }

    [Fact]
    public async Task SilentUpstream_Gives504()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/responses", UpstreamReply.Json("{}") with { DelayBeforeHeaders = TimeSpan.FromSeconds(5) });
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:UpstreamIdleTimeoutSeconds"] = "1" });

        using var response = await gateway.Client.PostAsync("/v1/responses", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_timeout", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UpstreamResetMidStream_EndsStreamWithAnthropicErrorEvent()
    {
        var (body, sent, record) = await ResetMidStreamAsync("/v1/messages", "anthropic-stream-tool-use.sse", 3);

        var tail = body[sent.Length..];
        Assert.StartsWith("event: error\ndata: ", tail, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(tail["event: error\ndata: ".Length..].Trim());
        Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("upstream_reset_mid_stream", record.Error);
        Assert.Equal(472, record.Usage!.InputTokens); // message_start was seen before the reset
    }

    [Fact]
    public async Task UpstreamResetMidStream_EndsStreamWithOpenAIErrorChunk()
    {
        var (body, sent, _) = await ResetMidStreamAsync("/v1/chat/completions", "openai-chat-stream-usage.sse", 2);

        Assert.StartsWith("data: {\"error\":", body[sent.Length..], StringComparison.Ordinal);
    }

    private static async Task<(string Body, string Sent, RequestRecord Record)> ResetMidStreamAsync(string path, string fixture, int chunks)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = UpstreamReply.Sse(Fixture.Text(fixture)) with { AbortAfterChunks = chunks, GateBeforeAbort = gate.Task };
        upstream.Always(path, reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"stream\":true}") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var sent = reply.Chunks.Take(chunks).SelectMany(c => c).ToArray();
        var head = new byte[sent.Length];
        await stream.ReadExactlyAsync(head);
        Assert.Equal(sent, head);

        gate.SetResult(); // now the upstream resets the connection
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        return (Encoding.UTF8.GetString(head) + Encoding.UTF8.GetString(rest.ToArray()), Encoding.UTF8.GetString(sent), record);
    }

    [Theory]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/chat/completions", false)]
    public async Task BodyOverLimit_Gets413InProviderShape_WithContentLength(string path, bool anthropic)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(path, UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:MaxBodyBytes"] = "1000" });

        using var response = await gateway.Client.PostAsync(path, new ByteArrayContent(new byte[2000]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Contains("Headroom:MaxBodyBytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(anthropic, json.RootElement.TryGetProperty("type", out _));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Gets413()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:MaxBodyBytes"] = "1000" });

        using var response = await gateway.Client.PostAsync("/v1/messages", new StreamContent(new MemoryStream(new byte[5000])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    [Theory]
    [InlineData("/v1/embeddings")]
    [InlineData("/v1/files")]
    [InlineData("/v1/audio/transcriptions")]
    public async Task ChunkedBodyOverLimit_OnAStreamedRoute_Gets413(string path)
    {
        // These routes are streamed through, never read whole: the limit has to hold while they stream.
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(path, UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:MaxBodyBytes"] = "1048576" });

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(new byte[5 * 1024 * 1024])) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-proj-limit");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Headroom:MaxBodyBytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.Requests, r => r.Body.Length > 1048576);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/embeddings")]
    [InlineData("/v1/files")]
    public async Task ChunkedBodyFarOverLimit_ClientStillSending_GetsThe413NotABrokenPipe(string path)
    {
        // 16 MB sent chunked against a 1,000-byte limit: the gateway refuses after the first kilobyte while the
        // client is still sending. The rest must be read and discarded (the connection is not cut mid-upload), so
        // the client reads the provider-shaped error instead of failing on a reset connection.
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(path, UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:MaxBodyBytes"] = "1000" });

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(new byte[16 << 20])) };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-proj-limit");
            using var response = await gateway.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("Headroom:MaxBodyBytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(upstream.Requests, r => r.Body.Length > 1000);
    }

    [Theory]
    [InlineData("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":")]
    [InlineData("data: {{{{ not json\n\ndata: [DONE]\n\n")]
    [InlineData("\u0000\u0001garbage without newlines")]
    [InlineData("event: message_delta\r\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":\"many\"}}\r\n\r\n")]
    [InlineData(":keepalive\n\nretry: 100\nid: 7\n\n")]
    public async Task MalformedUpstreamSse_IsForwardedAndNeverCrashesTheGateway(string stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", new UpstreamReply { ContentType = "text/event-stream", Chunks = [Encoding.UTF8.GetBytes(stream)] });
        upstream.Always("/v1/messages", UpstreamReply.Json("{\"ok\":true}"));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var bad = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));
        Assert.Equal(Encoding.UTF8.GetBytes(stream), await bad.Content.ReadAsByteArrayAsync());

        using var good = await gateway.Client.PostAsync("/v1/messages", new StringContent("{}"));
        Assert.Equal("{\"ok\":true}", await good.Content.ReadAsStringAsync());
    }
}
