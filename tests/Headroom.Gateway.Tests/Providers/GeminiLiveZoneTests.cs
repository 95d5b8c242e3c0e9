using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Providers;

/// <summary>
/// Gemini through the live zone, on the body Gemini CLI 0.61.0 really sent (Fixtures/gemini-cli-request.json):
/// the <c>functionResponse</c> output in the newest turn is compressed inside its <c>&lt;untrusted_context&gt;</c>
/// envelope, <c>headroom_retrieve</c> is a <c>functionDeclaration</c> after the client's own, replay is
/// byte-identical, and the model's retrieve calls are served inside the gateway for JSON and SSE.
/// </summary>
public sealed class GeminiLiveZoneTests
{
    private const string Key = "AIzaSyLiveZoneKeyForGeminiTests000000";
    private const string StreamPath = "/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent";
    private const string GeneratePath = "/v1beta/models/gemini-3.1-pro-preview:generateContent";

    private static readonly byte[] CliBody = Encoding.UTF8.GetBytes(Fixture.Text("gemini-cli-request.json"));

    private static string CliOutput => JsonNode.Parse(CliBody)!["contents"]![2]!["parts"]![0]!["functionResponse"]!["response"]!["output"]!.GetValue<string>();

    private static async Task<TestGateway> StartAsync(ScriptedUpstream gemini)
    {
        var dead = ClosedPort.Url();
        return await TestGateway.StartAsync(dead, dead, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = gemini.BaseUrl });
    }

    private static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string pathAndQuery, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-goog-api-key", Key);
        return await gateway.Client.SendAsync(request);
    }

    private static JsonObject Response(JsonArray parts, int prompt, int candidates, string? finish = "STOP") => new()
    {
        ["candidates"] = new JsonArray { new JsonObject { ["content"] = new JsonObject { ["parts"] = parts, ["role"] = "model" }, ["finishReason"] = finish, ["index"] = 0 } },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = prompt, ["candidatesTokenCount"] = candidates, ["totalTokenCount"] = prompt + candidates },
        ["modelVersion"] = "gemini-3.1-pro-preview",
    };

    private static JsonObject RetrieveCall(string hash) => new()
    {
        ["functionCall"] = new JsonObject { ["name"] = RetrieveTool.Name, ["args"] = new JsonObject { ["hash"] = hash } },
        ["thoughtSignature"] = "c2lnbmF0dXJlLW9mLXRoZS1yZXRyaWV2ZS1jYWxs",
    };

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private static string Sse(params JsonObject[] events) => string.Concat(events.Select(e => "data: " + e.ToJsonString() + "\r\n\r\n"));

    [Fact]
    public void Walker_FindsTheCliFunctionResponse_InTheLiveZone_WithItsCall()
    {
        var shape = RequestWalker.Walk(CliBody, ApiKind.GeminiStream)!;

        var output = Assert.Single(shape.Blocks, b => b.Kind == BlockKind.ToolOutput);
        Assert.True(output.InLiveZone);
        Assert.True(output.IsString);
        Assert.Equal("run_shell_command", output.ToolName);
        Assert.StartsWith("cat ", output.CommandOrPath, StringComparison.Ordinal);
        Assert.Equal(CliOutput, JsonRanges.DecodeString(CliBody, (output.Start, output.End)));
        Assert.Equal(15, shape.ToolCount);
        Assert.Contains("run_shell_command", shape.ToolNames);
        Assert.NotNull(shape.ToolDeclarations);
        Assert.NotNull(shape.System);
        Assert.Equal(1, shape.LastModelMessage);
        var call = Assert.Single(shape.Blocks, b => b.Kind == BlockKind.ToolCall);
        Assert.Equal(output.ToolUseId, call.ToolUseId);
    }

    [Fact]
    public async Task Stream_OutputCompressedInItsEnvelope_RetrieveServedInside_ClientSeesOnlyTheAnswer()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        var hash = ContentHash.Compute(CliOutput);
        upstream.Next(StreamPath, UpstreamReply.Sse(Sse(
            Response([Text("Let me read the omitted lines.")], 9000, 8, finish: null),
            Response([RetrieveCall(hash)], 9000, 20))));
        upstream.Next(StreamPath, UpstreamReply.Sse(Sse(
            Response([Text("Invoices inv_4121 and inv_4287 ")], 30000, 10, finish: null),
            Response([Text("failed.")], 30000, 14))));

        using var response = await PostAsync(gateway, StreamPath + "?alt=sse", CliBody);
        var client = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.All(sent, r => Assert.Equal(StreamPath + "?alt=sse", r.PathAndQuery));
        Assert.Empty(upstream.Refused);

        // 1. The first request: the output compressed inside its envelope, the retrieve tool declared after the client's.
        var first = JsonNode.Parse(sent[0].Body)!;
        var forwarded = first["contents"]![2]!["parts"]![0]!["functionResponse"]!["response"]!["output"]!.GetValue<string>();
        Assert.True(forwarded.Length < CliOutput.Length / 3, $"{CliOutput.Length} -> {forwarded.Length}");
        Assert.StartsWith("<untrusted_context>\nOutput: ", forwarded, StringComparison.Ordinal);
        Assert.EndsWith("\nProcess Group PGID: 8202\n</untrusted_context>", forwarded, StringComparison.Ordinal);
        Assert.Contains("inv_4121", forwarded, StringComparison.Ordinal);
        Assert.Contains("inv_4287", forwarded, StringComparison.Ordinal);
        Assert.Contains($"hash={hash}", forwarded, StringComparison.Ordinal);
        var declarations = first["tools"]![0]!["functionDeclarations"]!.AsArray();
        Assert.Equal(RetrieveTool.Name, declarations[^1]!["name"]!.GetValue<string>());
        Assert.Equal(16, declarations.Count);

        // Every byte outside the tool output and the added declaration is the client's (offsets are bytes).
        var shape = RequestWalker.Walk(CliBody, ApiKind.GeminiStream)!;
        var block = shape.Blocks.Single(b => b.Kind == BlockKind.ToolOutput);
        var declaration = Encoding.UTF8.GetBytes("," + Encoding.UTF8.GetString(RetrieveTool.Definition(ApiKind.GeminiStream)));
        var at = shape.ToolDeclarations!.Value.End - 1;
        Assert.Equal(CliBody.AsSpan(0, block.Start).ToArray(), sent[0].Body.AsSpan(0, block.Start).ToArray());
        var expectedTail = CliBody.AsSpan(block.End, at - block.End).ToArray().Concat(declaration).Concat(CliBody.AsSpan(at).ToArray()).ToArray();
        Assert.Equal(expectedTail, sent[0].Body.AsSpan(sent[0].Body.Length - expectedTail.Length).ToArray());
        var sentText = Encoding.UTF8.GetString(sent[0].Body);

        // 2. The continuation: the first request, then the model's content (signature kept) and the original.
        var second = JsonNode.Parse(sent[1].Body)!["contents"]!.AsArray();
        Assert.StartsWith(sentText[..sentText.IndexOf("],\"systemInstruction\"", StringComparison.Ordinal)], Encoding.UTF8.GetString(sent[1].Body), StringComparison.Ordinal);
        Assert.Equal("model", second[^2]!["role"]!.GetValue<string>());
        Assert.Equal("c2lnbmF0dXJlLW9mLXRoZS1yZXRyaWV2ZS1jYWxs", second[^2]!["parts"]![1]!["thoughtSignature"]!.GetValue<string>());
        var answer = second[^1]!["parts"]![0]!["functionResponse"]!;
        Assert.Equal(RetrieveTool.Name, answer["name"]!.GetValue<string>());
        Assert.Equal(CliOutput, answer["response"]!["output"]!.GetValue<string>());

        // 3. The client: text only, no call of ours, usage summed over both rounds.
        Assert.DoesNotContain(RetrieveTool.Name, client, StringComparison.Ordinal);
        Assert.Contains("Let me read the omitted lines.", client, StringComparison.Ordinal);
        Assert.Contains("failed.", client, StringComparison.Ordinal);
        var events = client.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal(9000 + 30000, events[^1]["usageMetadata"]!["promptTokenCount"]!.GetValue<long>());
        Assert.Equal(20 + 14, events[^1]["usageMetadata"]!["candidatesTokenCount"]!.GetValue<long>());
        Assert.Equal(1, gateway.Ledger.Snapshot().Recent.Single().Retrievals);

        // 4. Provenance: the output is stamped with its compressor, tool, command and hash, like the other APIs.
        var id = response.Headers.GetValues("x-headroom-request-id").Single();
        var sources = await ProvenanceAsync(gateway, id);
        var tool = Assert.Single(sources, s => s.TryGetProperty("compressor", out _));
        Assert.Equal("log", tool.GetProperty("compressor").GetString());
        Assert.Equal("run_shell_command", tool.GetProperty("tool").GetString());
        Assert.StartsWith("cat ", tool.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.Equal(hash, tool.GetProperty("hash").GetString());
        Assert.Contains(sources, s => s.GetProperty("kind").GetString() == "tool_call");
        var record = gateway.Ledger.Snapshot().Recent.Single();
        Assert.Equal(39000, record.Usage!.TotalInputTokens);
    }

    private static async Task<List<JsonElement>> ProvenanceAsync(TestGateway gateway, string id)
    {
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/provenance/" + id);
            request.Headers.Add("x-goog-api-key", Key);
            using var get = await gateway.Client.SendAsync(request);
            if (get.StatusCode == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
                return doc.RootElement.GetProperty("sources").EnumerateArray().Select(e => e.Clone()).ToList();
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("no provenance for " + id);
    }

    [Fact]
    public async Task Json_RetrieveServedInside_ReplayIsByteIdentical_OnTheNextRequest()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        var body = CliBody;
        var shape = RequestWalker.Walk(body, ApiKind.GeminiGenerate)!;
        upstream.Next(GeneratePath, UpstreamReply.Json(Response([RetrieveCall("0123456789abcdef01234567")], 9000, 20).ToJsonString()));
        upstream.Next(GeneratePath, UpstreamReply.Json(Response([Text("No such original; the log shows inv_4121 and inv_4287.")], 30000, 14).ToJsonString()));

        using var response = await PostAsync(gateway, GeneratePath, body);
        var client = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(RetrieveTool.Name, client.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("STOP", client["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal(39000, client["usageMetadata"]!["promptTokenCount"]!.GetValue<long>());
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        var unknown = JsonNode.Parse(sent[1].Body)!["contents"]!.AsArray()[^1]!["parts"]![0]!["functionResponse"]!["response"]!;
        Assert.Contains("No original is stored", unknown["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // The next turn resends the same output: it gets exactly the bytes forwarded the first time.
        var modelTurn = "{\"parts\":[{\"text\":\"Two invoices failed.\"}],\"role\":\"model\"}";
        var end = shape.Conversation!.Value.End - 1;
        var next = body[..end].Concat(Encoding.UTF8.GetBytes("," + modelTurn + ",{\"role\":\"user\",\"parts\":[{\"text\":\"thanks\"}]}")).Concat(body[end..]).ToArray();
        upstream.Next(GeneratePath, UpstreamReply.Json(Response([Text("You're welcome.")], 31000, 3).ToJsonString()));
        using var again = await PostAsync(gateway, GeneratePath, next);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var third = upstream.Requests.ToArray()[2];
        var firstForwarded = Encoding.UTF8.GetString(sent[0].Body);
        var prefix = firstForwarded[..firstForwarded.IndexOf("],\"systemInstruction\"", StringComparison.Ordinal)];
        var thirdText = Encoding.UTF8.GetString(third.Body);
        var differ = Enumerable.Range(0, Math.Min(prefix.Length, thirdText.Length)).FirstOrDefault(i => prefix[i] != thirdText[i], -1);
        Assert.True(differ < 0, differ < 0 ? "" : $"replayed bytes differ at {differ}: sent '{prefix.Substring(differ, Math.Min(80, prefix.Length - differ))}', now '{thirdText.Substring(differ, Math.Min(80, thirdText.Length - differ))}'");
        Assert.Equal(firstForwarded[firstForwarded.IndexOf("],\"systemInstruction\"", StringComparison.Ordinal)..], Encoding.UTF8.GetString(third.Body)[(Encoding.UTF8.GetString(third.Body).IndexOf("],\"systemInstruction\"", StringComparison.Ordinal))..]);
    }
}
