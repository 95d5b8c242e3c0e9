using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>GET /provenance/{id}: every forwarded block with its source; compressed ones with compressor, hash and spans.</summary>
public sealed class ProvenanceEndpointTests
{
    private static string JobLogTurn(string log) => new JsonObject
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 10,
        ["messages"] = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "why did the job fail?" },
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat job.log" } } } },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t1", ["content"] = log } } },
        },
    }.ToJsonString();

    [Fact]
    public async Task CompressedRequest_HasSourcesWithSpans_AndFullViewHasTheForwardedText()
    {
        var log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(400));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var body = JobLogTurn(log);

        using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = response.Headers.GetValues("x-headroom-request-id").Single();

        JsonDocument? compact = null;
        for (var i = 0; i < 200 && compact is null; i++)
        {
            using var get = await gateway.Client.GetAsync("/provenance/" + id);
            if (get.StatusCode == HttpStatusCode.OK)
            {
                compact = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
            }
            else
            {
                await Task.Delay(25);
            }
        }

        Assert.NotNull(compact);
        using (compact)
        {
            var sources = compact!.RootElement.GetProperty("sources").EnumerateArray().ToList();
            var tool = Assert.Single(sources, s => s.TryGetProperty("compressor", out _));
            Assert.Equal("log", tool.GetProperty("compressor").GetString());
            Assert.Equal("Bash", tool.GetProperty("tool").GetString());
            Assert.Equal("cat job.log", tool.GetProperty("command").GetString());
            Assert.Equal(24, tool.GetProperty("hash").GetString()!.Length);
            Assert.True(tool.GetProperty("spans").GetArrayLength() > 0);
            Assert.True(tool.GetProperty("tokensAfter").GetInt32() < tool.GetProperty("tokensBefore").GetInt32());
            Assert.False(tool.TryGetProperty("output", out _));
            Assert.Contains(sources, s => s.GetProperty("kind").GetString() == "tool_call");
        }

        using var full = JsonDocument.Parse(await gateway.Client.GetStringAsync("/provenance/" + id + "?view=full"));
        var output = full.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.TryGetProperty("output", out _)).GetProperty("output").GetString()!;
        Assert.Contains("[headroom: ", output, StringComparison.Ordinal);

        using var missing = await gateway.Client.GetAsync("/provenance/01J0000000000000000000000X");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ProseCut_AndALogCutRankedByTheQuestion_RecordTheScorerThatDecided()
    {
        var article = JsonDocument.Parse(File.ReadLines(SharedData.Path("qa", "squad_v1.1_dev_articles.jsonl")).First()).RootElement;
        var prose = string.Join("\n\n", article.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        async Task<JsonElement> ToolSourceAsync(string output)
        {
            using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent(JobLogTurn(output), Encoding.UTF8, "application/json"));
            var id = response.Headers.GetValues("x-headroom-request-id").Single();
            for (var i = 0; i < 200; i++)
            {
                using var get = await gateway.Client.GetAsync("/provenance/" + id);
                if (get.StatusCode == HttpStatusCode.OK)
                {
                    using var doc = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
                    return doc.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.TryGetProperty("compressor", out _)).Clone();
                }

                await Task.Delay(25);
            }

            throw new TimeoutException("no provenance for " + id);
        }

        var text = await ToolSourceAsync(prose);
        Assert.Equal("text", text.GetProperty("compressor").GetString());
        Assert.Equal("bm25", text.GetProperty("scorer").GetString());
        Assert.False(text.TryGetProperty("scorerFallback", out _));

        // "why did the job fail?": the cut Hadoop lines naming a job are ranked by it, and BM25 decided which stay.
        var log = await ToolSourceAsync(string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(400)));
        Assert.Equal("log", log.GetProperty("compressor").GetString());
        Assert.Equal("bm25", log.GetProperty("scorer").GetString());
        Assert.False(log.TryGetProperty("scorerFallback", out _));
    }

    [Fact]
    public async Task Provenance_AnswersOnlyTheCallersOwnRequests_OrTheAdmin()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "admin-s3cret" });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json") };
        post.Headers.Add("x-api-key", "sk-ant-tenant-a");
        using var response = await gateway.Client.SendAsync(post);
        var id = response.Headers.GetValues("x-headroom-request-id").Single();

        async Task<HttpStatusCode> GetAsync(string header, string value)
        {
            for (var i = 0; ; i++)
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, "/provenance/" + id + "?view=full");
                get.Headers.TryAddWithoutValidation(header, value);
                using var answer = await gateway.Client.SendAsync(get);
                if (answer.StatusCode != HttpStatusCode.NotFound || i == 100 || value != "sk-ant-tenant-a")
                {
                    return answer.StatusCode;
                }

                await Task.Delay(25); // recording can lag the response a moment
            }
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync("x-api-key", "sk-ant-tenant-a"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("x-api-key", "sk-ant-tenant-b"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("x-other", "none"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("Authorization", "Bearer admin-s3cret"));
    }

    [Fact]
    public async Task ReplayedOutput_IsStoredOnce_AndTheFullViewStillShowsItsText()
    {
        var log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(400));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var body = JobLogTurn(log);

        var ids = new List<string>();
        for (var turn = 0; turn < 2; turn++)
        {
            using var response = await gateway.Client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
            ids.Add(response.Headers.GetValues("x-headroom-request-id").Single());
        }

        var store = gateway.App.Services.GetRequiredService<Headroom.Provenance.ProvenanceStore>();
        Headroom.Provenance.Projections.RequestProvenance? first = null, second = null;
        for (var i = 0; i < 200 && (first is null || second is null); i++)
        {
            first = await store.GetRequestProvenanceAsync(ids[0]);
            second = await store.GetRequestProvenanceAsync(ids[1]);
            await Task.Delay(25);
        }

        var stored = Assert.Single(first!.Sources, s => s.Output is not null).Output;
        var replayed = Assert.Single(second!.Sources, s => s.Compressor is not null);
        Assert.Null(replayed.Output); // the text is stored once, by the first request

        using var full = JsonDocument.Parse(await gateway.Client.GetStringAsync("/provenance/" + ids[1] + "?view=full"));
        var shown = full.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.TryGetProperty("compressor", out _)).GetProperty("output").GetString();
        Assert.Equal(stored, shown);
    }
}
