using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>
/// Every tool-declaring request goes through the retrieval loop (it carries headroom_retrieve), so the
/// loop must end faults the way the forwarding path does: a provider-shaped 504/502 before the
/// response starts, a provider-shaped error event after a stream began, within the idle timeout.
/// </summary>
public sealed class RetrievalLoopFaultTests
{
    private const string Tooled = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":STREAM,\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static readonly Dictionary<string, string?> OneSecondIdle = new() { ["Headroom:UpstreamIdleTimeoutSeconds"] = "1" };

    private static async Task<(HttpResponseMessage Response, string Body, TimeSpan Took)> PostAsync(TestGateway gateway, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Tooled.Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-faults");
        request.Headers.Add("anthropic-version", "2023-06-01");
        var clock = Stopwatch.StartNew();
        var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        return (response, body, clock.Elapsed);
    }

    [Fact]
    public async Task Stream_UpstreamSilentAfterFirstEvent_EndsWithAnErrorEventAtTheIdleTimeout()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var never = new TaskCompletionSource();
        upstream.Always("/v1/messages", UpstreamReply.Sse(Fixture.Text("anthropic-stream-tool-use.sse")) with { GatesBeforeChunk = new Dictionary<int, Task> { [1] = never.Task } });
        await using var gateway = await TestGateway.StartAsync(upstream, OneSecondIdle);

        var (response, body, took) = await PostAsync(gateway, stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("event: message_start", body, StringComparison.Ordinal);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.Contains("idle timeout", body, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(15), $"the client was held {took.TotalSeconds:F1} s");
        var id = response.Headers.GetValues("x-headroom-request-id").Single();
        var record = await gateway.WaitForRecordAsync(id);
        Assert.Contains("timeout", record.Error, StringComparison.Ordinal);

        // The feed and the request's provenance say what the client got: 200, then the error that ended it.
        var line = await FeedLineAsync(gateway, id);
        Assert.Equal(200, line.GetProperty("status").GetInt32());
        Assert.Contains("timeout", line.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(line.TryGetProperty("failOpen", out _), "compression did not fail open here");
        var provenance = new HttpRequestMessage(HttpMethod.Get, $"/provenance/{id}");
        provenance.Headers.Add("x-api-key", "sk-ant-faults");
        using var view = JsonDocument.Parse(await (await gateway.Client.SendAsync(provenance)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        var usage = view.RootElement.GetProperty("usage");
        Assert.Equal(200, usage.GetProperty("status").GetInt32());
        Assert.Contains("timeout", usage.GetProperty("error").GetString(), StringComparison.Ordinal);
        never.SetResult();
    }

    /// <summary>The feed line of request <paramref name="id"/>, long-polling until the writer has stored it.</summary>
    private static async Task<JsonElement> FeedLineAsync(TestGateway gateway, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var page = await gateway.Client.GetStringAsync("/telemetry/feed?after=0&wait=2");
            foreach (var text in page.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var line = JsonDocument.Parse(text).RootElement;
                if (line.GetProperty("id").GetString() == id)
                {
                    return line.Clone();
                }
            }
        }

        throw new TimeoutException($"request {id} has no feed line after 20 s");
    }

    [Fact]
    public async Task Stream_EventOfTheWrongJsonType_EndsWithAnErrorEvent_NotACutStream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var fixture = Fixture.Text("anthropic-stream-tool-use.sse").Replace("\"type\":\"content_block_start\",\"index\":0", "\"type\":\"content_block_start\",\"index\":\"0\"", StringComparison.Ordinal);
        upstream.Always("/v1/messages", UpstreamReply.Sse(fixture));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var (response, body, _) = await PostAsync(gateway, stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.Contains("could not be read", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_BodyCutShort_GetsAProviderShaped502()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var json = Encoding.UTF8.GetBytes(Fixture.Text("anthropic-message-tool-use.json"));
        upstream.Always("/v1/messages", new UpstreamReply { Chunks = [json[..(json.Length / 2)], json[(json.Length / 2)..]], AbortAfterChunks = 1 });
        await using var gateway = await TestGateway.StartAsync(upstream);

        var (response, body, _) = await PostAsync(gateway, stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Json_UpstreamHangsBeforeHeaders_GetsAProviderShaped504()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json("{}") with { DelayBeforeHeaders = TimeSpan.FromSeconds(20) });
        await using var gateway = await TestGateway.StartAsync(upstream, OneSecondIdle);

        var (response, body, took) = await PostAsync(gateway, stream: false);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.True(took < TimeSpan.FromSeconds(15), $"the client was held {took.TotalSeconds:F1} s");
    }
}
