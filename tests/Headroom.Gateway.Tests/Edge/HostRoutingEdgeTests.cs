using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Edge;

/// <summary>
/// The public APIs sit behind CDN edges that route by Host and refuse a foreign one. Every path the
/// gateway has to the upstream (plain forwarding, passthrough, streaming, GET routes, count-tokens,
/// rewritten bodies and the retrieval loop's own requests) is sent through real nginx configured as
/// such an edge, over HTTP and over TLS, while the client calls the gateway as 127.0.0.1.
/// A foreign Host gets 421 over HTTP and fails the TLS name check over HTTPS (502).
/// </summary>
public sealed class HostRoutingEdgeTests : IClassFixture<EdgeFixture>
{
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "OpenStack", "OpenStack_2k.log")).Take(400));

    private readonly EdgeFixture _edge;

    public HostRoutingEdgeTests(EdgeFixture edge) => _edge = edge;

    public static TheoryData<string, string> Paths()
    {
        var data = new TheoryData<string, string>();
        foreach (var transport in new[] { "http", "tls" })
        {
            foreach (var path in new[] { "small-json", "passthrough", "streaming", "models", "head", "count-tokens", "rewritten-body-retrieval-loop", "chat", "responses-stream", "responses-rewritten-retrieval-loop" })
            {
                data.Add(transport, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task EveryPath_CarriesTheUpstreamsHost_ThroughAHostRoutingEdge(string transport, string path)
    {
        var gateway = _edge.Gateway(transport);
        var refusedBefore = _edge.Origin.Refused.Count;
        var (request, expect) = Build(path);
        using (request)
        {
            using var response = await gateway.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{transport} {path}: {(int)response.StatusCode} {body} {(transport == "tls" ? _edge.TlsEdge.ErrorLog : _edge.PlainEdge.ErrorLog)}");
            Assert.Contains(expect, body, StringComparison.Ordinal);
        }

        Assert.Equal(refusedBefore, _edge.Origin.Refused.Count);
    }

    private (HttpRequestMessage Request, string Expect) Build(string path)
    {
        var origin = _edge.Origin;
        switch (path)
        {
            case "small-json":
                origin.Next("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
                return (Anthropic("/v1/messages", Messages(stream: false, "What is 2+2?")), "\"tool_use\"");
            case "passthrough":
            {
                origin.Next("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
                var request = Anthropic("/v1/messages", Messages(stream: false, "hi"));
                request.Headers.Add("x-headroom-mode", "passthrough");
                return (request, "\"tool_use\"");
            }

            case "streaming":
                origin.Next("/v1/messages", UpstreamReply.Sse(Fixture.Text("anthropic-stream-tool-use.sse")));
                return (Anthropic("/v1/messages?beta=true", Messages(stream: true, "hi")), "message_stop");
            case "models":
                origin.Next("/v1/models", UpstreamReply.Json("{\"data\":[{\"id\":\"claude-sonnet-4-5\"}]}"));
                return (Anthropic("/v1/models", null, HttpMethod.Get), "claude-sonnet-4-5");
            case "head":
                origin.Next("/", UpstreamReply.Json(""));
                return (Anthropic("/", null, HttpMethod.Head), "");
            case "count-tokens":
                origin.Next("/v1/messages/count_tokens", UpstreamReply.Json("{\"input_tokens\":12}"));
                return (Anthropic("/v1/messages/count_tokens", Messages(stream: false, "hi")), "input_tokens");
            case "rewritten-body-retrieval-loop":
                origin.Next("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
                return (Anthropic("/v1/messages", ToolResultRequest()), "\"tool_use\"");
            case "chat":
                origin.Next("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
                return (OpenAI("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "chat.completion");
            case "responses-stream":
                origin.Next("/v1/responses", UpstreamReply.Sse(Fixture.Text("openai-responses-stream.sse")));
                return (OpenAI("/v1/responses", "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}"), "response.completed");
            case "responses-rewritten-retrieval-loop":
                origin.Next("/v1/responses", UpstreamReply.Json(Fixture.Text("openai-response.json")));
                return (OpenAI("/v1/responses", ResponsesToolOutputRequest()), "\"object\":\"response\"");
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "unknown path case");
        }
    }

    private static HttpRequestMessage Anthropic(string path, string? body, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("x-api-key", "sk-ant-edge");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private static HttpRequestMessage OpenAI(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-openai-edge");
        return request;
    }

    private static string Messages(bool stream, string text) => new JsonObject
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 64,
        ["stream"] = stream,
        ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = text } },
    }.ToJsonString();

    private static string ToolResultRequest() => new JsonObject
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 64,
        ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["input_schema"] = new JsonObject { ["type"] = "object" } } },
        ["messages"] = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "Which instance failed?" },
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_e1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat nova.log" } } } },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_e1", ["content"] = Log } } },
        },
    }.ToJsonString();

    private static string ResponsesToolOutputRequest() => new JsonObject
    {
        ["model"] = "gpt-5",
        ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["name"] = "exec_command", ["parameters"] = new JsonObject { ["type"] = "object" } } },
        ["input"] = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "Which instance failed?" },
            new JsonObject { ["type"] = "function_call", ["call_id"] = "call_e1", ["name"] = "exec_command", ["arguments"] = "{\"cmd\":\"cat nova.log\"}" },
            new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_e1", ["output"] = Log },
        },
    }.ToJsonString();
}
