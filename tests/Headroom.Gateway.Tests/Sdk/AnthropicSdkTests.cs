using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Sdk;

/// <summary>The official Anthropic SDK, pointed at the gateway, sees exactly what the provider sent.</summary>
public sealed class AnthropicSdkTests
{
    private static AnthropicClient Client(TestGateway gateway) => new()
    {
        ApiKey = "sk-ant-api03-test",
        BaseUrl = gateway.BaseUrl,
        MaxRetries = 0,
    };

    private static MessageCreateParams Params() => new()
    {
        Model = "claude-sonnet-4-5-20250929",
        MaxTokens = 1024,
        Messages = [new UserMessageParam("What is the weather in San Francisco?")],
    };

    [Fact]
    public async Task Create_ThroughGateway_ReturnsTheUpstreamMessage()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var message = await Client(gateway).Messages.Create(Params());

        Assert.Equal("msg_01Aq9w938a90dw8q", message.ID);
        Assert.Equal(2095, message.Usage.InputTokens);
        Assert.Equal(31500, message.Usage.CacheReadInputTokens);
        Assert.Contains(message.Content, block => block.TryPickToolUse(out var tool) && tool.Name == "Bash");
        Assert.Contains(message.Content, block => block.TryPickThinking(out _));

        var sent = Assert.Single(upstream.Requests);
        // SDK 13 sends the key as a bearer token; either way it must arrive untouched.
        Assert.Equal("Bearer sk-ant-api03-test", sent.Headers["authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("claude-sonnet-4-5-20250929", body.RootElement.GetProperty("model").GetString());
        var record = gateway.Ledger.Snapshot().Recent.Single();
        Assert.Equal(503, record.Usage!.OutputTokens);
    }

    [Fact]
    public async Task CreateStreaming_ThroughGateway_DeliversEveryEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Sse(Fixture.Text("anthropic-stream-tool-use.sse")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var text = new StringBuilder();
        var json = new StringBuilder();
        var thinking = new StringBuilder();
        long? outputTokens = null;
        long? cacheRead = null;
        await foreach (var ev in Client(gateway).Messages.CreateStreaming(Params()))
        {
            if (ev.TryPickStart(out var start))
            {
                cacheRead = start.Message.Usage.CacheReadInputTokens;
            }
            else if (ev.TryPickContentBlockDelta(out var delta))
            {
                if (delta.Delta.TryPickText(out var t))
                {
                    text.Append(t.Text);
                }
                else if (delta.Delta.TryPickInputJson(out var j))
                {
                    json.Append(j.PartialJson);
                }
                else if (delta.Delta.TryPickThinking(out var th))
                {
                    thinking.Append(th.Thinking);
                }
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.Equal("Let me check the weather for you.", text.ToString());
        Assert.StartsWith("{\"location\": \"San Francisco, CA\"", json.ToString(), StringComparison.Ordinal);
        Assert.Contains("get_weather", thinking.ToString(), StringComparison.Ordinal);
        Assert.Equal(89, outputTokens);
        Assert.Equal(12044, cacheRead);

        var record = await WaitForOneRecord(gateway);
        Assert.Equal(1200, record.Usage!.CacheWrite5mTokens);
        Assert.Equal(630, record.Usage.CacheWrite1hTokens);
        Assert.True(record.Streamed);
    }

    [Fact]
    public async Task UpstreamDown_SdkSeesAnApiErrorNotACrash()
    {
        await using var gateway = await TestGateway.StartAsync("http://127.0.0.1:9", "http://127.0.0.1:9");

        var error = await Assert.ThrowsAsync<Anthropic.Exceptions.Anthropic5xxException>(() => Client(gateway).Messages.Create(Params()));

        Assert.Contains("BadGateway", error.Message, StringComparison.Ordinal);
        Assert.Contains("could not reach the upstream provider", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Headroom.Gateway.Telemetry.RequestRecord> WaitForOneRecord(TestGateway gateway)
    {
        for (var i = 0; i < 200; i++)
        {
            if (gateway.Ledger.Snapshot().Recent is [var only])
            {
                return only;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("no telemetry record");
    }
}
