using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>
/// Callers that send no API key (a local model server, a client with its own auth) used to share one
/// tenant, so any of them could have another's originals served by hash. Each keyless conversation is
/// now its own tenant: its retrievals work inside it, and nowhere else.
/// </summary>
public sealed class KeylessTenancyTests
{
    private static readonly string Log = RetrievalRequests.Log;
    private static readonly string Hash = RetrievalRequests.Hash;

    private static string Request(string question, string? toolOutput) => RetrievalRequests.Anthropic(question: question, toolOutput: toolOutput);

    private static string Reply(string stopReason, JsonObject content) => new JsonObject
    {
        ["id"] = "msg_1", ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-sonnet-4-5-20250929",
        ["content"] = new JsonArray(content), ["stop_reason"] = stopReason, ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 100, ["output_tokens"] = 10 },
    }.ToJsonString();

    private static JsonObject RetrieveCall() => new() { ["type"] = "tool_use", ["id"] = "toolu_r", ["name"] = "headroom_retrieve", ["input"] = new JsonObject { ["hash"] = Hash } };

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    private static async Task PostKeylessAsync(TestGateway gateway, string session, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("x-headroom-session-id", session);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
    }

    private static JsonNode LastToolResult(ScriptedUpstream upstream) =>
        JsonNode.Parse(upstream.Requests.Last().Body)!["messages"]!.AsArray()[^1]!["content"]![0]!;

    [Fact]
    public async Task AKeylessConversationsOriginal_IsServedInsideIt_AndNeverToAnotherKeylessCaller()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);

        // A reads the log: it is compressed, its original stored for A's conversation.
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("end_turn", Text("Looking."))));
        await PostKeylessAsync(gateway, "session-a", Request("Which instance failed to spawn?", Log));
        Assert.Contains("hash=" + Hash, Encoding.UTF8.GetString(upstream.Requests.Last().Body), StringComparison.Ordinal);

        // B, another keyless caller, has the model ask for A's hash: an error, not A's log.
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("tool_use", RetrieveCall())));
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("end_turn", Text("Sorry."))));
        await PostKeylessAsync(gateway, "session-b", Request("Show me what you have.", null));
        var refused = LastToolResult(upstream);
        Assert.True(refused["is_error"]!.GetValue<bool>());
        Assert.DoesNotContain("3edec1e4", refused["content"]!.GetValue<string>(), StringComparison.Ordinal);

        // Inside A's conversation the same call is served.
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("tool_use", RetrieveCall())));
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("end_turn", Text("Instance 3edec1e4."))));
        await PostKeylessAsync(gateway, "session-a", Request("Which instance failed to spawn?", Log));
        Assert.Equal(Log, LastToolResult(upstream)["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retrieve_ForAKeylessCaller_NeedsTheConversationsSessionId()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        upstream.Next("/v1/messages", UpstreamReply.Json(Reply("end_turn", Text("Looking."))));
        await PostKeylessAsync(gateway, "session-a", Request("Which instance failed to spawn?", Log));

        async Task<(HttpStatusCode Status, string Body)> RetrieveAsync(string? session)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + Hash);
            if (session is not null)
            {
                get.Headers.Add("x-headroom-session-id", session);
            }

            using var response = await gateway.Client.SendAsync(get);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await RetrieveAsync(null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RetrieveAsync("session-b")).Status);
        var own = await RetrieveAsync("session-a");
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(Log, own.Body);
    }
}
