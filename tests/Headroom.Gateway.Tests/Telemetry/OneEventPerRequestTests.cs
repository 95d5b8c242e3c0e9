using System.Net;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>
/// A proxied request is one <see cref="RequestCompleted"/> event, written once it is accounted; the feed,
/// <c>/provenance/{id}</c> and the summary serve it, and still serve the four events per request older stores hold.
/// </summary>
public sealed class OneEventPerRequestTests
{
    private const string Path = "/v1/messages";
    private static readonly string System = "You are an agent. " + Requests.Padding("policy", 800);

    [Fact]
    public async Task ProxiedRequest_IsOneEvent_CarryingRequestContextUpstreamAndAccount()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5, read: 40, write5m: 7)));

        var id = (await host.PostAsync(Path, Requests.Anthropic(System, 2), "one")).RequestId;
        var line = Assert.Single(await host.FeedAsync(1));

        var store = host.App.Services.GetRequiredService<ProvenanceStore>();
        var stored = Assert.Single(await store.Events.ReadStreamAsync(id));
        Assert.Equal(EventSerializer.RequestCompletedType, stored.Type);
        var e = Assert.IsType<RequestCompleted>(EventSerializer.Deserialize(stored));
        Assert.Equal(("one", "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", Path, 200), (e.SessionId, e.Provider, e.Model, e.ResponseModel, e.Route, e.Status));
        Assert.Equal((10L, 5L, 40L, 7L), (e.Usage.InputTokens, e.Usage.OutputTokens, e.Usage.CacheReadTokens, e.Usage.CacheWrite5mTokens));
        Assert.Contains(e.Blocks, b => b.Kind == "system");
        Assert.NotNull(e.Tenant);
        Assert.NotNull(e.Accounting);
        Assert.Equal(e.Accounting.Verdict, line.GetProperty("verdict").GetString());
        Assert.Equal(stored.Sequence, line.GetProperty("cursor").GetInt64());

        using var view = JsonDocument.Parse(await GetProvenanceAsync(host, id));
        Assert.Equal("one", view.RootElement.GetProperty("session").GetString());
        Assert.Equal(47, view.RootElement.GetProperty("usage").GetProperty("cacheReadTokens").GetInt64() + view.RootElement.GetProperty("usage").GetProperty("cacheWrite5mTokens").GetInt64());
        Assert.Equal(e.Blocks.Count, view.RootElement.GetProperty("sources").GetArrayLength());
    }

    [Fact]
    public async Task CountTokens_IsRecordedWithoutAnAccount_AndHasNoFeedLine()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path + "/count_tokens", UpstreamReply.Json("{\"input_tokens\":12}"));
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5)));

        var counted = (await host.PostAsync(Path + "/count_tokens", Requests.Anthropic(System, 1), "count")).RequestId;
        var answered = (await host.PostAsync(Path, Requests.Anthropic(System, 1), "count")).RequestId;

        Assert.Equal(answered, Assert.Single(await host.FeedAsync(1)).GetProperty("id").GetString());
        var store = host.App.Services.GetRequiredService<ProvenanceStore>();
        var e = Assert.IsType<RequestCompleted>(EventSerializer.Deserialize(Assert.Single(await store.Events.ReadStreamAsync(counted))));
        Assert.Null(e.Accounting);
        Assert.Equal(Path + "/count_tokens", e.Route);
    }

    [Fact]
    public async Task StoreHoldingTheOldFourEvents_FeedAndProvenanceServeOldAndNewRequests()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5)));
        var store = host.App.Services.GetRequiredService<ProvenanceStore>();
        var first = (await host.PostAsync(Path, Requests.Anthropic(System, 1), "mixed")).RequestId;
        var firstLine = Assert.Single(await host.FeedAsync(1));
        var tenant = Assert.IsType<RequestCompleted>(EventSerializer.Deserialize(Assert.Single(await store.Events.ReadStreamAsync(first)))).Tenant;

        // What the previous version wrote for one request, into the same store.
        const string Old = "01JOLDREQUEST0000000000000";
        foreach (var e in OldRequest(Old, tenant))
        {
            store.Writer.Record(e);
        }

        var last = (await host.PostAsync(Path, Requests.Anthropic(System, 2), "mixed")).RequestId;

        var lines = await host.FeedAsync(2, after: firstLine.GetProperty("cursor").GetInt64());
        Assert.Equal([Old, last], lines.Select(l => l.GetProperty("id").GetString()));
        var old = lines[0];
        Assert.Equal(("old-session", "claude-sonnet-4-5-20250929", 50L, 35L, 900L, "hit", "consistent", 0.8), (old.GetProperty("session").GetString(), old.GetProperty("model").GetString(), old.GetProperty("in").GetInt64(), old.GetProperty("cacheWrite").GetInt64(), old.GetProperty("saved").GetInt64(), old.GetProperty("verdict").GetString(), old.GetProperty("check").GetString(), old.GetProperty("overheadMs").GetDouble()));

        using var view = JsonDocument.Parse(await GetProvenanceAsync(host, Old));
        Assert.Equal(("old-session", "claude-sonnet-4-5", 1000L, 200), (view.RootElement.GetProperty("session").GetString(), view.RootElement.GetProperty("model").GetString(), view.RootElement.GetProperty("totals").GetProperty("tokensBefore").GetInt64(), view.RootElement.GetProperty("usage").GetProperty("status").GetInt32()));
        Assert.Equal("Bash", view.RootElement.GetProperty("sources")[0].GetProperty("tool").GetString());
    }

    [Fact]
    public void FeedLine_OfACompletedEvent_IsByteForByteTheLineOfTheAccountedEventItReplaces()
    {
        var at = new DateTimeOffset(2026, 11, 30, 9, 15, 0, 123, TimeSpan.Zero);
        var completed = new RequestCompleted
        {
            RequestId = "01JREQ",
            Timestamp = at,
            SessionId = "s-1",
            Provider = "anthropic",
            Model = "claude-sonnet-4-5",
            ResponseModel = "claude-sonnet-4-5-20250929",
            Blocks = [],
            Status = 200,
            Usage = new Provenance.Events.TokenUsage { InputTokens = 12, OutputTokens = 34, CacheReadTokens = 5600, CacheWrite5mTokens = 70, CacheWrite1hTokens = 8 },
            TtfbMs = 412.34567,
            TotalMs = 900,
            OverheadMs = 0.0456789,
            Accounting = new RequestAccounting
            {
                TokensSaved = 1234,
                BilledUsd = 0.0123456m,
                NoGatewayUsd = 0.05m,
                CompressionSavedUsd = 0.03m,
                CachingSavedUsd = 0.0076544m,
                Verdict = "broken",
                BrokenAt = "system[0]",
                Cause = "system_changed",
                Detail = "system[0] @12: \"2026-11-21\" → \"2026-11-22\"",
                GapSeconds = 12.5,
                CacheCheck = "unexpected_miss",
                Retrievals = 2,
            },
        };

        // The event the previous RequestAccountant wrote for the same request.
        var accounted = new RequestAccounted
        {
            RequestId = "01JREQ",
            Timestamp = at,
            SessionId = "s-1",
            Provider = "anthropic",
            Model = "claude-sonnet-4-5-20250929",
            Status = 200,
            InputTokens = 12,
            OutputTokens = 34,
            CacheReadTokens = 5600,
            CacheWriteTokens = 78,
            TokensSaved = 1234,
            BilledUsd = 0.0123456m,
            NoGatewayUsd = 0.05m,
            CompressionSavedUsd = 0.03m,
            CachingSavedUsd = 0.0076544m,
            Verdict = "broken",
            BrokenAt = "system[0]",
            Cause = "system_changed",
            Detail = "system[0] @12: \"2026-11-21\" → \"2026-11-22\"",
            GapSeconds = 12.5,
            CacheCheck = "unexpected_miss",
            Retrievals = 2,
            OverheadMs = Math.Round(0.0456789, 3),
            TtfbMs = Math.Round(412.34567, 3),
        };

        var expected = FeedLine.Write(77, accounted);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(FeedLine.Write(77, completed.ToAccounted()!)));
        Assert.Equal(expected, FeedLine.Write(77, completed.ToAccounted()!));
        Assert.Null((completed with { Accounting = null }).ToAccounted());
    }

    private static async Task<string> GetProvenanceAsync(CacheTestHost host, string id)
    {
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/provenance/" + id);
            request.Headers.Add("x-api-key", "sk-test-key");
            using var response = await host.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadAsStringAsync();
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no provenance for {id}");
    }

    private static IEnumerable<ProvenanceEvent> OldRequest(string id, string? tenant)
    {
        var at = DateTimeOffset.UtcNow;
        yield return new RequestReceived { RequestId = id, Timestamp = at, SessionId = "old-session", Provider = "anthropic", Model = "claude-sonnet-4-5", Route = Path, Tenant = tenant };
        yield return new ContextComposed { RequestId = id, Timestamp = at, Blocks = [new Provenance.Events.ContextBlock { Kind = "tool_output", Role = "user", Message = 2, Block = 0, Tool = "Bash", TokensBefore = 1000, TokensAfter = 100, Compressor = "log", Hash = "0123456789abcdef01234567" }] };
        yield return new UpstreamCompleted { RequestId = id, Timestamp = at, Status = 200, ResponseModel = "claude-sonnet-4-5-20250929", Usage = new Provenance.Events.TokenUsage { InputTokens = 50, OutputTokens = 20, CacheWrite5mTokens = 35 }, TtfbMs = 300, TotalMs = 1200, OverheadMs = 0.8 };
        yield return new RequestAccounted { RequestId = id, Timestamp = at, SessionId = "old-session", Provider = "anthropic", Model = "claude-sonnet-4-5-20250929", Status = 200, InputTokens = 50, OutputTokens = 20, CacheWriteTokens = 35, TokensSaved = 900, Verdict = "hit", CacheCheck = "consistent", OverheadMs = 0.8, TtfbMs = 300 };
    }
}
