using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Headroom.Gateway.Tests.Edge;

/// <summary>
/// The hop-by-hop and edge-sensitive behaviours of every upstream request: the caller's address,
/// Connection-named headers, content codings, the HTTP version, WebSocket upgrades, TLS trust and
/// an outbound proxy.
/// </summary>
public sealed class ForwardingRulesTests
{
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "OpenStack", "OpenStack_2k.log")).Take(400));

    private static HttpRequestMessage Messages(string body, string path = "/v1/messages")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-rules");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private const string SmallBody = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static string ToolResultBody(bool stream = false) => new JsonObject
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 64,
        ["stream"] = stream,
        ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["input_schema"] = new JsonObject { ["type"] = "object" } } },
        ["messages"] = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "Which instance failed?" },
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_r1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat nova.log" } } } },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_r1", ["content"] = Log } } },
        },
    }.ToJsonString();

    // ---- the caller's address --------------------------------------------------------------

    [Theory]
    [InlineData(null, false, false)]
    [InlineData("Strip", false, false)]
    [InlineData("Keep", true, false)]
    [InlineData("Set", false, true)]
    public async Task ForwardedHeaders_FollowTheConfiguredMode(string? mode, bool clientsPass, bool gatewaySets)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream, mode is null ? null : new Dictionary<string, string?> { ["Headroom:ForwardedHeaders"] = mode });

        foreach (var body in new[] { SmallBody, ToolResultBody() })
        {
            using var request = Messages(body);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.9.8.7");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "intranet.corp");
            request.Headers.TryAddWithoutValidation("Forwarded", "for=10.9.8.7;proto=http");
            request.Headers.TryAddWithoutValidation("X-Real-IP", "10.9.8.7");
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Both the forwarder's request and the retrieval loop's own request keep the rule.
        Assert.Equal(2, upstream.Requests.Count);
        foreach (var received in upstream.Requests)
        {
            var headers = received.Headers;
            if (clientsPass)
            {
                Assert.Equal("10.9.8.7", headers["x-forwarded-for"]);
                Assert.Equal("for=10.9.8.7;proto=http", headers["forwarded"]);
            }
            else if (gatewaySets)
            {
                Assert.Equal("127.0.0.1", headers["x-forwarded-for"]);
                Assert.Equal("http", headers["x-forwarded-proto"]);
                Assert.StartsWith("127.0.0.1:", headers["x-forwarded-host"], StringComparison.Ordinal);
                Assert.False(headers.ContainsKey("forwarded"));
                Assert.False(headers.ContainsKey("x-real-ip"));
            }
            else
            {
                Assert.DoesNotContain(headers.Keys, k => k.StartsWith("x-forwarded-", StringComparison.OrdinalIgnoreCase) || k is "forwarded" or "x-real-ip");
            }
        }
    }

    // ---- Connection, Keep-Alive, TE, Upgrade (RFC 9110 §7.6.1) ----------------------------------

    [Fact]
    public async Task HopByHopHeaders_NeverReachTheUpstream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{\"ok\":true}"));
        await using var gateway = await TestGateway.StartAsync(upstream);

        // A raw HTTP/1.1 request: HttpClient would not let us send these exactly.
        var body = Encoding.UTF8.GetBytes(SmallBody);
        var head = $"POST /v1/messages HTTP/1.1\r\nHost: {gateway.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n"
            + "x-api-key: sk-ant-rules\r\nanthropic-version: 2023-06-01\r\n"
            + "Connection: keep-alive, TE\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-End-To-End: kept\r\n\r\n";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);

        var received = Assert.Single(upstream.Requests).Headers;
        Assert.Equal("kept", received["x-end-to-end"]);
        foreach (var hop in new[] { "connection", "keep-alive", "te", "proxy-authorization", "proxy-connection", "upgrade" })
        {
            Assert.False(received.ContainsKey(hop), hop + " reached the upstream");
        }
    }

    [Fact]
    public async Task WebSocketUpgrade_ReachesTheUpstreamWithItsHost()
    {
        // Codex opens a WebSocket to /v1/responses before it falls back to HTTPS.
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer sk-openai-ws");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Address.Port}/v1/responses"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"response.create\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var echoed = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("{\"type\":\"response.create\"}", Encoding.UTF8.GetString(buffer, 0, echoed.Count));
        Assert.Empty(upstream.Refused);
        Assert.Equal(upstream.Authority, Assert.Single(upstream.Requests).Headers["host"]);
    }

    // ---- content codings -------------------------------------------------------------------

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task CompressedJson_ReachesTheClientUntouched_AndUsageIsStillRead(string coding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = EncodedReplies.Json(coding, Fixture.Text("anthropic-message-tool-use.json"));
        upstream.Always("/v1/messages", reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var request = Messages(SmallBody);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        using var response = await gateway.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(SHA256.HashData(reply.AllBytes()), SHA256.HashData(bytes));
        Assert.Equal("gzip, deflate, br", Assert.Single(upstream.Requests).Headers["accept-encoding"]);
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.Equal(2095, record.Usage!.InputTokens);
        Assert.Equal(31500, record.Usage.CacheReadTokens);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task CompressedEventStream_ReachesTheClientUntouched_AndUsageIsStillRead(string coding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var reply = EncodedReplies.Sse(coding, Fixture.Text("anthropic-stream-tool-use.sse"));
        upstream.Always("/v1/messages", reply);
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var request = Messages(SmallBody.Replace("\"max_tokens\":8", "\"max_tokens\":8,\"stream\":true", StringComparison.Ordinal));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
        using var response = await gateway.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(SHA256.HashData(reply.AllBytes()), SHA256.HashData(bytes));
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.True(record.Streamed);
        Assert.Equal(472, record.Usage!.InputTokens);
        Assert.Equal(12044, record.Usage.CacheReadTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetrievalLoop_ReadsACompressedUpstreamReply_AndRelaysItDecoded(bool stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", stream
            ? EncodedReplies.Sse("gzip", Fixture.Text("anthropic-stream-tool-use.sse"))
            : EncodedReplies.Json("gzip", Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var request = Messages(ToolResultBody(stream));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains(stream ? "get_weather" : "list the directory", text, StringComparison.Ordinal);
        if (!stream)
        {
            using var _ = JsonDocument.Parse(text);
        }

        // The loop's request carried the rewritten body with the retrieve tool, and the client's Accept-Encoding.
        var received = Assert.Single(upstream.Requests);
        Assert.Contains("headroom_retrieve", Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
        Assert.Equal("gzip", received.Headers["accept-encoding"]);
        var record = await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());
        Assert.Equal(stream ? 472 : 2095, record.Usage!.InputTokens);
    }

    // ---- HTTP version and TLS trust ----------------------------------------------------------

    [Theory]
    [InlineData(HttpProtocols.Http1AndHttp2, "HTTP/2")]
    [InlineData(HttpProtocols.Http1, "HTTP/1.1")]
    public async Task Tls_UsesHttp2WhenTheUpstreamOffersIt_OnEveryPath(HttpProtocols offered, string expected)
    {
        using var certificate = TestCertificate.CreateForLocalhost();
        await using var upstream = await ScriptedUpstream.StartAsync("localhost", certificate.Certificate, offered);
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Upstreams:CaBundle"] = certificate.CertificatePem });

        foreach (var body in new[] { SmallBody, ToolResultBody() })
        {
            using var request = Messages(body);
            using var response = await gateway.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        Assert.Empty(upstream.Refused);
        Assert.All(upstream.Requests, r => Assert.Equal(expected, r.Protocol));
        Assert.All(upstream.Requests, r => Assert.Equal(upstream.Authority, r.Headers["host"]));
    }

    [Fact]
    public async Task Cleartext_UsesHttp11()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));
        await using var gateway = await TestGateway.StartAsync(upstream);
        using var request = Messages(SmallBody);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal("HTTP/1.1", Assert.Single(upstream.Requests).Protocol);
    }

    [Fact]
    public async Task Tls_UntrustedOrMisnamedCertificate_IsRefusedWithAProviderShaped502()
    {
        using var certificate = TestCertificate.CreateForLocalhost();
        await using var upstream = await ScriptedUpstream.StartAsync("localhost", certificate.Certificate);
        upstream.Always("/v1/messages", UpstreamReply.Json("{}"));

        // Not in the system store and no bundle: refused.
        await using (var untrusted = await TestGateway.StartAsync(upstream))
        {
            using var request = Messages(SmallBody);
            using var response = await untrusted.Client.SendAsync(request);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("error", error["type"]!.GetValue<string>());
            Assert.Contains("SSL", error["error"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        // The bundle trusts the issuer, but the name still has to match: 127.0.0.1 is not in the certificate.
        var byAddress = $"https://127.0.0.1:{new Uri(upstream.BaseUrl).Port}";
        await using (var misnamed = await TestGateway.StartAsync(byAddress, byAddress, new Dictionary<string, string?> { ["Headroom:Upstreams:CaBundle"] = certificate.CertificatePem }))
        {
            using var request = Messages(SmallBody);
            using var response = await misnamed.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task CaBundle_ThatIsMissing_FailsAtStartWithTheKeyName()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Upstreams:CaBundle"] = "/nonexistent/ca.pem" });
            using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent(SmallBody));
        });
        Assert.Contains("Headroom:Upstreams:CaBundle", error.Message, StringComparison.Ordinal);
    }

    // ---- outbound proxy ----------------------------------------------------------------------

    [Fact]
    public async Task OutboundProxy_CarriesHttpAndHttpsUpstreams_AndNoProxyBypassesIt()
    {
        using var certificate = TestCertificate.CreateForLocalhost();
        await using var tlsUpstream = await ScriptedUpstream.StartAsync("localhost", certificate.Certificate);
        await using var plainUpstream = await ScriptedUpstream.StartAsync("localhost");
        tlsUpstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        plainUpstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var proxy = new RecordingForwardProxy();
        var settings = new Dictionary<string, string?>
        {
            ["Headroom:Upstreams:CaBundle"] = certificate.CertificatePem,
            ["Headroom:Upstreams:Proxy"] = proxy.Url,
        };

        await using (var gateway = await TestGateway.StartAsync(tlsUpstream.BaseUrl, plainUpstream.BaseUrl, settings))
        {
            foreach (var body in new[] { SmallBody, ToolResultBody() })
            {
                using var request = Messages(body);
                using var response = await gateway.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }

            using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("{\"model\":\"gpt-4o\",\"messages\":[]}", Encoding.UTF8, "application/json") };
            chat.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-proxy");
            using var chatResponse = await gateway.Client.SendAsync(chat);
            Assert.Equal(HttpStatusCode.OK, chatResponse.StatusCode);
        }

        Assert.Contains(proxy.RequestLines, l => l.StartsWith($"CONNECT {tlsUpstream.Authority} ", StringComparison.Ordinal));
        Assert.Contains(proxy.RequestLines, l => l.StartsWith($"POST {plainUpstream.BaseUrl}/v1/chat/completions ", StringComparison.Ordinal));
        Assert.Empty(tlsUpstream.Refused);
        Assert.Empty(plainUpstream.Refused);

        // NO_PROXY-style bypass: straight to the upstream.
        var seen = proxy.RequestLines.Count;
        settings["Headroom:Upstreams:NoProxy"] = "example.com, localhost";
        await using (var bypassing = await TestGateway.StartAsync(tlsUpstream.BaseUrl, plainUpstream.BaseUrl, settings))
        {
            using var request = Messages(SmallBody);
            using var response = await bypassing.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(seen, proxy.RequestLines.Count);
    }
}
