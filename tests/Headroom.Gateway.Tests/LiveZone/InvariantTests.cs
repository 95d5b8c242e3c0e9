using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>Invariants 2 and 7 of DESIGN.md, end to end.</summary>
public sealed class InvariantTests
{
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Spark", "Spark_2k.log")).Take(400));

    private static readonly string OtherLog = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Spark", "Spark_2k.log")).Skip(400).Take(400));

    private static string Body(bool cacheControl, string? log = null)
    {
        var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t1", ["content"] = log ?? Log };
        if (cacheControl)
        {
            result["cache_control"] = new JsonObject { ["type"] = "ephemeral" };
        }

        return new JsonObject
        {
            ["model"] = "claude-sonnet-4-5",
            ["max_tokens"] = 10,
            ["system"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "You are an agent.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } } },
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = "what failed?" },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat spark.log" } } } },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray { result } },
            },
        }.ToJsonString();
    }

    [Fact]
    public async Task FreezeClientBreakpoints_LeavesABlockWithCacheControlAsSent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:Compression:FreezeClientBreakpoints"] = "true" });

        // A decision, once made for an output, is replayed for that output (whoever sends it), so the
        // second request carries a different output without a breakpoint.
        foreach (var (key, cacheControl, log) in new[] { ("sk-ant-first", true, Log), ("sk-ant-second", false, OtherLog) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Body(cacheControl, log), Encoding.UTF8, "application/json") };
            request.Headers.Add("x-api-key", key);
            (await gateway.Client.SendAsync(request)).Dispose();
        }

        var sent = upstream.Requests.ToArray();
        Assert.Equal(Encoding.UTF8.GetBytes(Body(cacheControl: true)), sent[0].Body);
        Assert.True(sent[1].Body.Length < Encoding.UTF8.GetByteCount(Body(cacheControl: false, OtherLog)) / 2, "an output without a breakpoint is compressed");
    }

    [Fact]
    public async Task ApiKeys_AreForwardedButNeverStored()
    {
        const string anthropicKey = "sk-ant-api03-SECRET-never-store-me-0123456789";
        const string openAiKey = "sk-proj-SECRET-never-store-me-too-9876543210";
        var dataDirectory = Path.Combine(Path.GetTempPath(), "headroom-secrets-" + Guid.NewGuid().ToString("N"));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        try
        {
            await using (var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:DataDirectory"] = dataDirectory }))
            {
                using var a = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Body(false), Encoding.UTF8, "application/json") };
                a.Headers.Add("x-api-key", anthropicKey);
                using var o = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("{\"model\":\"gpt-4.1\",\"messages\":[]}", Encoding.UTF8, "application/json") };
                o.Headers.Add("Authorization", "Bearer " + openAiKey);
                (await gateway.Client.SendAsync(a)).Dispose();
                (await gateway.Client.SendAsync(o)).Dispose();
                Assert.Equal(anthropicKey, upstream.Requests.First().Headers["x-api-key"]);
            } // disposing flushes the event writer into the store

            foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("SECRET-never-store")) < 0, $"{file} contains an API key");
            }

            Assert.NotEmpty(Directory.EnumerateFiles(dataDirectory, "*.db*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
