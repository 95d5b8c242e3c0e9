using System.Net;
using System.Text.Json;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>/telemetry/feed, /telemetry/schema and /telemetry/summary.</summary>
public sealed class TelemetryFeedTests
{
    private const string Path = "/v1/messages";
    private static readonly string System = "You are an agent. " + Requests.Padding("policy", 800);

    [Fact]
    public async Task Feed_IsOrdered_ResumableByCursor_AndLongPollsForTheNextLine()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5)));
        var ids = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await host.PostAsync(Path, Requests.Anthropic(System, i), "feed")).RequestId);
        }

        var all = await host.FeedAsync(3);
        Assert.Equal(ids, all.Select(l => l.GetProperty("id").GetString()));
        var cursors = all.Select(l => l.GetProperty("cursor").GetInt64()).ToList();
        Assert.Equal(cursors.Order(), cursors);

        // Resume after the first line: the other two, in order; limit is honoured.
        var page = await host.Client.GetStringAsync($"/telemetry/feed?after={cursors[0]}&limit=1");
        Assert.Equal(ids[1], JsonDocument.Parse(page.Trim()).RootElement.GetProperty("id").GetString());

        // Nothing new: an empty page, and the cursor header to resume from.
        using var empty = await host.Client.GetAsync($"/telemetry/feed?after={cursors[2]}");
        Assert.Equal("", await empty.Content.ReadAsStringAsync());
        Assert.Equal("application/x-ndjson", empty.Content.Headers.ContentType?.MediaType);
        var resume = long.Parse(empty.Headers.GetValues("x-headroom-cursor").Single(), global::System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(resume >= cursors[2]);

        // Long-poll: the request parks until the next request's line arrives.
        var waiting = host.Client.GetStringAsync($"/telemetry/feed?after={resume}&wait=20");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        var next = (await host.PostAsync(Path, Requests.Anthropic(System, 4), "feed")).RequestId;
        var line = JsonDocument.Parse((await waiting).Trim()).RootElement;
        Assert.Equal(next, line.GetProperty("id").GetString());

        // Every listed field is there.
        foreach (var field in new[] { "id", "ts", "session", "model", "in", "out", "cacheRead", "cacheWrite", "saved", "savedUsd", "verdict", "retrievals", "overheadMs", "ttfbMs" })
        {
            Assert.True(line.TryGetProperty(field, out _), field);
        }

        Assert.Equal("feed", line.GetProperty("session").GetString());
        Assert.Equal("hit", line.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Feed_SurvivesARestart_OnTheSameStore()
    {
        var directory = global::System.IO.Path.Combine(global::System.IO.Path.GetTempPath(), "headroom-feed-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var upstream = await ScriptedUpstream.StartAsync();
            upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5)));
            string id;
            await using (var first = await CacheTestHost.StartAsync(upstream, dataDirectory: directory))
            {
                id = (await first.PostAsync(Path, Requests.Anthropic(System, 1), "restart")).RequestId;
                Assert.Single(await first.FeedAsync(1));
            }

            await using var second = await CacheTestHost.StartAsync(upstream, dataDirectory: directory);
            var lines = await second.FeedAsync(1);
            Assert.Equal(id, lines.Single().GetProperty("id").GetString());
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Feed_UnknownModel_TokensOnly()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5, model: "claude-unreleased-9")));

        await host.PostAsync(Path, Requests.Anthropic(System, 1, model: "claude-unreleased-9"), "unknown");

        var line = (await host.FeedAsync(1)).Single();
        Assert.Equal(10, line.GetProperty("in").GetInt64());
        Assert.False(line.TryGetProperty("usd", out _));
        Assert.False(line.TryGetProperty("savedUsd", out _));
    }

    [Fact]
    public async Task Schema_DescribesEveryField()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);

        var schema = await host.Client.GetStringAsync("/telemetry/schema");

        foreach (var field in new[] { "id", "ts", "session", "model", "in", "out", "cacheRead", "cacheWrite", "saved", "savedUsd", "verdict", "retrievals", "overheadMs", "ttfbMs" })
        {
            Assert.Contains("\n" + field + " ", schema, StringComparison.Ordinal);
        }

        Assert.True(schema.Split('\n').Length < 30);
    }

    [Fact]
    public async Task Feed_HugeWait_IsCappedInsteadOfOverflowing()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);

        // A wait beyond TimeSpan's range was an empty 500 (OverflowException); it is capped at the documented 60 s.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var status = await Record.ExceptionAsync(async () => await host.Client.GetAsync("/telemetry/feed?wait=1e20", cancel.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(status); // long-polling, not failing
    }

    [Fact]
    public async Task Feed_WithAdminToken_RequiresIt_AndRejectsBadArguments()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "s3cret" });

        using var denied = await host.Client.GetAsync("/telemetry/feed");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/telemetry/feed?after=-4");
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        using var badResponse = await host.Client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, badResponse.StatusCode);
    }

    [Fact]
    public async Task Summary_AggregatesBySessionModelAndTool_WithMoney()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 1000, output: 100)));
        upstream.Always("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));

        await host.PostAsync(Path, Requests.Anthropic(System, 1), "s-a");
        await host.PostAsync(Path, Requests.Anthropic(System, 2), "s-a");
        var (_, last, _) = await host.PostAsync(Path, Requests.Anthropic(System, 1), "s-b");
        await host.RecordAsync(last);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/telemetry/summary"));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("requests").GetInt64());
        Assert.Equal(0.0135m, root.GetProperty("cost").GetProperty("billedUsd").GetDecimal()); // 3 × (1000·3 + 100·15)
        var sessions = root.GetProperty("sessions").EnumerateArray().ToDictionary(s => s.GetProperty("session").GetString()!);
        Assert.Equal(2, sessions["s-a"].GetProperty("requests").GetInt64());
        Assert.Equal(1, sessions["s-b"].GetProperty("requests").GetInt64());
        Assert.Equal(0.009m, sessions["s-a"].GetProperty("cost").GetProperty("billedUsd").GetDecimal());
        Assert.Equal("hit", sessions["s-a"].GetProperty("lastVerdict").GetString());
        var model = root.GetProperty("models").EnumerateArray().Single();
        Assert.Equal("claude-sonnet-4-5-20250929", model.GetProperty("model").GetString());
        Assert.Equal(0.0135m, model.GetProperty("cost").GetProperty("billedUsd").GetDecimal());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("tools").ValueKind);
        Assert.Equal(3, root.GetProperty("recent").GetArrayLength());
    }
}
