using System.ClientModel;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in SDK 2.15

namespace Headroom.Gateway.Tests.Sdk;

/// <summary>The official OpenAI SDK (chat and Responses), pointed at the gateway.</summary>
public sealed class OpenAISdkTests
{
    private static OpenAIClientOptions Options(TestGateway gateway) => new()
    {
        Endpoint = new Uri(gateway.BaseUrl + "/v1"),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
    };

    private static ResponsesClientOptions ResponsesOptions(TestGateway gateway) => new()
    {
        Endpoint = new Uri(gateway.BaseUrl + "/v1"),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
    };

    [Fact]
    public async Task CompleteChat_ThroughGateway()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new ChatClient("gpt-4.1", new ApiKeyCredential("sk-proj-test"), Options(gateway));

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Build the project")]);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("exec_command", completion.ToolCalls.Single().FunctionName);
        Assert.Equal(19, completion.Usage.InputTokenCount);
        var sent = Assert.Single(upstream.Requests);
        Assert.Equal("Bearer sk-proj-test", sent.Headers["authorization"]);
    }

    [Fact]
    public async Task CompleteChatStreaming_WithIncludeUsage_ThroughGateway()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/chat/completions", UpstreamReply.Sse(Fixture.Text("openai-chat-stream-usage.sse")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new ChatClient("gpt-4o", new ApiKeyCredential("sk-proj-test"), Options(gateway));

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Why did the build fail?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal("The build failed in Parser.cs.", text.ToString());
        Assert.Equal(2100, usage!.InputTokenCount);
        Assert.Equal(1920, usage.InputTokenDetails.CachedTokenCount);
        using var body = JsonDocument.Parse(Assert.Single(upstream.Requests).Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());

        var record = gateway.Ledger.Snapshot().Recent.Single();
        Assert.Equal(180, record.Usage!.InputTokens);
        Assert.Equal(1920, record.Usage.CacheReadTokens);
    }

    [Fact]
    public async Task CreateResponse_ThroughGateway()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/responses", UpstreamReply.Json(Fixture.Text("openai-response.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new ResponsesClient(new ApiKeyCredential("sk-proj-test"), ResponsesOptions(gateway));
        var options = new CreateResponseOptions { Model = "gpt-5-mini" };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("Show me the README"));

        ResponseResult response = await client.CreateResponseAsync(options);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("exec_command", call.FunctionName);
        Assert.Equal(328, response.Usage.InputTokenCount);
    }

    [Fact]
    public async Task CreateResponseStreaming_ThroughGateway()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/responses", UpstreamReply.Sse(Fixture.Text("openai-responses-stream.sse")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var client = new ResponsesClient(new ApiKeyCredential("sk-proj-test"), ResponsesOptions(gateway));
        var options = new CreateResponseOptions { Model = "gpt-5", StreamingEnabled = true };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("Say hi"));

        var text = new StringBuilder();
        ResponseTokenUsage? usage = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate completed)
            {
                usage = completed.Response.Usage;
            }
        }

        Assert.Equal("Hi there!", text.ToString());
        Assert.Equal(3000, usage!.InputTokenCount);
        var record = gateway.Ledger.Snapshot().Recent.Single();
        Assert.Equal(952, record.Usage!.InputTokens);
        Assert.Equal(2048, record.Usage.CacheReadTokens);
    }
}
