using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Microsoft.Extensions.DependencyInjection;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>End to end through Kestrel: compress the newest tool output, replay it on later turns, retrieve it.</summary>
public sealed class LiveCompressionTests
{
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(600));

    private static string AnthropicTurn(params (string Id, string Output)[] toolTurns)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = "Why did the Hadoop job fail? Look at the logs." } };
        foreach (var (id, output) in toolTurns)
        {
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat job.log" } } },
            });
            messages.Add(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id, ["content"] = output } },
            });
        }

        return new JsonObject
        {
            ["model"] = "claude-sonnet-4-5",
            ["max_tokens"] = 1024,
            ["system"] = "You are a helpful SRE agent.",
            ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["input_schema"] = new JsonObject { ["type"] = "object" } } },
            ["messages"] = messages,
        }.ToJsonString();
    }

    private static async Task<RecordedRequest> SendAsync(TestGateway gateway, ScriptedUpstream upstream, string body, string key = "sk-ant-1", string? mode = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("x-headroom-session-id", "session-1");
        if (mode is not null)
        {
            request.Headers.Add("x-headroom-mode", mode);
        }

        var before = upstream.Requests.Count;
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return upstream.Requests.ElementAt(before);
    }

    private static async Task<(ScriptedUpstream, TestGateway)> StartAsync()
    {
        var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        return (upstream, await TestGateway.StartAsync(upstream));
    }

    [Fact]
    public async Task NewestToolOutput_IsCompressedWithAMarker_AndTheRetrieveToolIsAdded()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        var body = AnthropicTurn(("toolu_1", Log));

        var sent = await SendAsync(gateway, upstream, body);

        var json = JsonNode.Parse(sent.Body)!;
        var forwarded = json["messages"]![2]!["content"]![0]!["content"]!.GetValue<string>();
        var outcome = gateway.Ledger.Snapshot().Recent.Single().Live!.Outcomes.SingleOrDefault();
        Assert.True(forwarded.Length < Log.Length / 3, $"forwarded {forwarded.Length} of {Log.Length} chars: {outcome?.Reason} {gateway.Ledger.Snapshot().Recent.Single().LiveZoneError}");
        var marker = Assert.Single(MarkerFormat.FindAll(forwarded));
        Assert.Equal("headroom_retrieve", json["tools"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(2, json["tools"]!.AsArray().Count);

        // Every byte outside the spliced tool output and the appended tool is as the client sent it:
        // put the original token back and take the tool out, and the client's bytes come back.
        var original = Encoding.UTF8.GetBytes(body);
        var inOriginal = RequestWalker.Walk(original, ApiKind.AnthropicMessages)!.Blocks.Single(b => b.Kind == BlockKind.ToolOutput);
        var inSent = RequestWalker.Walk(sent.Body, ApiKind.AnthropicMessages)!.Blocks.Single(b => b.Kind == BlockKind.ToolOutput);
        var rebuilt = Encoding.UTF8.GetString([.. sent.Body[..inSent.Start], .. original[inOriginal.Start..inOriginal.End], .. sent.Body[inSent.End..]]);
        rebuilt = rebuilt.Replace("," + Encoding.UTF8.GetString(RetrieveTool.Definition(ApiKind.AnthropicMessages)), "", StringComparison.Ordinal);
        Assert.Equal(body, rebuilt);

        // The original is retrievable by the same API key, and by no other.
        using var retrieve = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + marker.Marker.Hash);
        retrieve.Headers.Add("x-api-key", "sk-ant-1");
        using var found = await gateway.Client.SendAsync(retrieve);
        Assert.Equal(Log, await found.Content.ReadAsStringAsync());
        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + marker.Marker.Hash);
        other.Headers.Add("x-api-key", "sk-ant-someone-else");
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.SendAsync(other)).StatusCode);
    }

    /// <summary>A planner that adds an insertion before the body's last brace, then throws.</summary>
    private sealed class ThrowingPlanner : IRequestPlanner
    {
        public ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
        {
            var last = plan.Body.Span.LastIndexOf((byte)'}');
            plan.Add(new Splice(last, last, Encoding.UTF8.GetBytes(",\"thrown_away\":true")));
            throw new InvalidOperationException("planner broke on purpose");
        }
    }

    [Fact]
    public async Task PlannerThatThrows_LosesOnlyItsOwnAdditions_CompressionAndTheRetrieveToolStillGoOut()
    {
        var upstream = await ScriptedUpstream.StartAsync();
        await using var _ = upstream;
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, upstream.BaseUrl, services: s => s.AddSingleton<IRequestPlanner, ThrowingPlanner>());

        var sent = await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log)));

        var json = JsonNode.Parse(sent.Body)!;
        Assert.Null(json["thrown_away"]);
        var forwarded = json["messages"]![2]!["content"]![0]!["content"]!.GetValue<string>();
        Assert.True(forwarded.Length < Log.Length / 3, $"forwarded {forwarded.Length} of {Log.Length} chars");
        Assert.Single(MarkerFormat.FindAll(forwarded));
        Assert.Equal("headroom_retrieve", json["tools"]![1]!["name"]!.GetValue<string>());
        var record = gateway.Ledger.Snapshot().Recent.Single();
        Assert.Contains("ThrowingPlanner: InvalidOperationException: planner broke on purpose", record.LiveZoneError, StringComparison.Ordinal);

        // The reason is recorded where an agent reads it, not only logged: the request's provenance says it.
        await gateway.WaitForRecordAsync(record.RequestId);
        JsonElement usage = default;
        for (var attempt = 0; attempt < 100 && usage.ValueKind != JsonValueKind.Object; attempt++)
        {
            using var provenance = new HttpRequestMessage(HttpMethod.Get, $"/provenance/{record.RequestId}");
            provenance.Headers.Add("x-api-key", "sk-ant-1");
            using var response = await gateway.Client.SendAsync(provenance);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").Clone();
            }
            else
            {
                await Task.Delay(100); // the batching writer has not stored the event yet
            }
        }

        Assert.Contains("planner broke on purpose", usage.GetProperty("failOpen").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterTurns_ReplayTheSameBytes_AndKeepTheToolAtTheSamePlace()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        var secondLog = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Spark", "Spark_2k.log")).Take(500));

        var first = await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log)));
        var second = await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log), ("toolu_2", secondLog)));
        var third = await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log), ("toolu_2", secondLog), ("toolu_3", "short output")));

        // The prefix the provider cached on turn N is a byte prefix of turn N+1 (up to the new turn).
        static int End(byte[] body) => Encoding.UTF8.GetString(body).LastIndexOf("]}]", StringComparison.Ordinal);
        var firstMessages = Encoding.UTF8.GetString(first.Body);
        var secondText = Encoding.UTF8.GetString(second.Body);
        var cut = firstMessages.IndexOf("\"messages\":", StringComparison.Ordinal);
        var firstHistory = firstMessages[cut..firstMessages.LastIndexOf("}]}]", StringComparison.Ordinal)];
        Assert.StartsWith(firstMessages[..cut], secondText, StringComparison.Ordinal);
        Assert.Contains(firstHistory, secondText, StringComparison.Ordinal);
        Assert.Contains(Encoding.UTF8.GetString(second.Body)[cut..End(second.Body)], Encoding.UTF8.GetString(third.Body), StringComparison.Ordinal);

        // The retrieve tool stays on every request of the session, even one with nothing new to compress.
        Assert.Equal("headroom_retrieve", JsonNode.Parse(third.Body)!["tools"]![1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_StillReplaysByteIdentical()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        var dir = Path.Combine(Path.GetTempPath(), "headroom-restart-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Headroom:Store"] = "sqlite:" + Path.Combine(dir, "store.db"), ["Headroom:TenantSalt"] = "fixed-salt-for-the-restart-test" };
        try
        {
            byte[] before;
            await using (var gateway = await TestGateway.StartAsync(upstream, settings))
            {
                before = (await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log)))).Body;
            }

            await using (var gateway = await TestGateway.StartAsync(upstream, settings))
            {
                var after = (await SendAsync(gateway, upstream, AnthropicTurn(("toolu_1", Log)))).Body;
                Assert.Equal(before, after);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("passthrough")]
    [InlineData("off")]
    public async Task ModeHeader_DisablesCompression(string mode)
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        var body = AnthropicTurn(("toolu_1", Log));

        var sent = await SendAsync(gateway, upstream, body, mode: mode);

        // passthrough forwards the bytes untouched; off compresses nothing new but keeps the session's
        // retrieve tool, so the tool list (the first level of the cached prefix) does not change.
        Assert.Equal(mode == "passthrough" ? Encoding.UTF8.GetBytes(body) : ExpectedBody.WithRetrieveTool(body, ApiKind.AnthropicMessages), sent.Body);
    }

    [Fact]
    public async Task HistoryTheGatewayNeverSaw_IsForwardedAsSent()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        // The old output is history (before the last assistant turn): compressing it now would break the cache.
        var body = AnthropicTurn(("toolu_1", Log), ("toolu_2", "ok"));

        var sent = await SendAsync(gateway, upstream, body);

        Assert.Equal(ExpectedBody.WithRetrieveTool(body, ApiKind.AnthropicMessages), sent.Body);
    }

    [Fact]
    public async Task ExcludedTool_IsForwardedAsSent()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        var body = AnthropicTurn(("toolu_1", Log)).Replace("\"name\":\"Bash\"", "\"name\":\"Read\"", StringComparison.Ordinal);

        var sent = await SendAsync(gateway, upstream, body);

        Assert.Equal(ExpectedBody.WithRetrieveTool(body, ApiKind.AnthropicMessages), sent.Body);
    }

    [Fact]
    public async Task Retrieve_WithAnAdminToken_BearerCallersGetTheirOwnOriginals()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "admin-s3cret" });
        var chat = new JsonObject
        {
            ["model"] = "gpt-4.1",
            ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec_command", ["parameters"] = new JsonObject { ["type"] = "object" } } } },
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = "what failed?" },
                new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = "c1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec_command", ["arguments"] = "{}" } } } },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "c1", ["content"] = Log },
            },
        }.ToJsonString();
        using (var post = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(chat, Encoding.UTF8, "application/json") })
        {
            post.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-proj-owner");
            (await gateway.Client.SendAsync(post)).Dispose();
        }

        Assert.Contains("headroom_retrieve hash=", Encoding.UTF8.GetString(upstream.Requests.Single().Body), StringComparison.Ordinal);
        var hash = ContentHash.Compute(Log);

        async Task<(HttpStatusCode Status, string Body)> RetrieveAsync(string? bearer)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + hash);
            if (bearer is not null)
            {
                get.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            }

            using var answer = await gateway.Client.SendAsync(get);
            return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
        }

        var own = await RetrieveAsync("sk-proj-owner");
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(Log, own.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await RetrieveAsync("sk-proj-someone-else")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RetrieveAsync(null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RetrieveAsync("admin-s3cret")).Status); // the admin names a key with x-api-key
    }
}
