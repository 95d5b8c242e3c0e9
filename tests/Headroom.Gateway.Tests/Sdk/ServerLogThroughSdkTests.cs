using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Headroom.Gateway.Tests.Clients;
using Headroom.Gateway.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Headroom.Gateway.Tests.Sdk;

/// <summary>
/// A 25 KB service log with two billing errors among 328 INFO lines, read by a shell tool and sent by the
/// official SDKs through the gateway: the log reaches the provider compressed, and both error lines reach it
/// verbatim, each with its own invoice id (a collapsed "(×2 similar)" would lose the second one).
/// </summary>
public sealed class ServerLogThroughSdkTests
{
    private static readonly string[] ErrorLines = [.. ServerLogs.Server().Split('\n').Where(l => l.Contains(" ERROR ", StringComparison.Ordinal))];

    [Fact]
    public async Task AnthropicSdk_ToolResultLog_BothErrorLinesReachTheProviderVerbatim()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new AnthropicClient { ApiKey = "sk-ant-api03-test", BaseUrl = gateway.BaseUrl, MaxRetries = 0 };

        await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5-20250929",
            MaxTokens = 1024,
            Tools = [Raw("""{"name":"Bash","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}""", Tool.FromRawUnchecked)],
            Messages =
            [
                new UserMessageParam("Which invoices failed to charge?"),
                Raw("""{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"cat server.log"}}]}""", AssistantMessageParam.FromRawUnchecked),
                Raw(new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_1", ["content"] = ServerLogs.Server() } },
                }.ToJsonString(), UserMessageParam.FromRawUnchecked),
            ],
        });

        using var sent = JsonDocument.Parse(Assert.Single(upstream.Requests).Body);
        var forwarded = sent.RootElement.GetProperty("messages")[2].GetProperty("content")[0].GetProperty("content").GetString()!;
        AssertCompressedWithBothErrors(forwarded);
    }

    [Fact]
    public async Task OpenAISdk_ToolMessageLog_BothErrorLinesReachTheProviderVerbatim()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new ChatClient("gpt-4.1", new ApiKeyCredential("sk-proj-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseUrl + "/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
        });

        await client.CompleteChatAsync(
            [
                new UserChatMessage("Which invoices failed to charge?"),
                new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "bash", BinaryData.FromString("""{"command":"cat server.log"}"""))]),
                new ToolChatMessage("call_1", ServerLogs.Server()),
            ],
            new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("bash", "Runs a shell command", BinaryData.FromString("""{"type":"object","properties":{"command":{"type":"string"}}}""")) } });

        using var sent = JsonDocument.Parse(Assert.Single(upstream.Requests).Body);
        var forwarded = sent.RootElement.GetProperty("messages")[2].GetProperty("content").GetString()!;
        AssertCompressedWithBothErrors(forwarded);
    }

    private static void AssertCompressedWithBothErrors(string forwarded)
    {
        Assert.Equal(2, ErrorLines.Length);
        Assert.True(forwarded.Length < ServerLogs.Server().Length / 2, $"the log was not compressed ({forwarded.Length} of {ServerLogs.Server().Length} chars)");
        Assert.Contains("[headroom:", forwarded, StringComparison.Ordinal);
        Assert.All(ErrorLines, line => Assert.Contains(line, forwarded, StringComparison.Ordinal));
    }

    private static T Raw<T>(string json, Func<IReadOnlyDictionary<string, JsonElement>, T> from) =>
        from(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);
}
