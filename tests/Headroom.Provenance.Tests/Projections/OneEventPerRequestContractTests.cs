using System.Text.Json;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

/// <summary>
/// A request is one <see cref="RequestCompleted"/> event (plus its retrievals). A store written before holds
/// four events per request (received, composed, upstream completed, accounted); the views serve both alike.
/// A request's provenance is folded from its stream when it is read, and answers as the inline
/// "request_provenance" document of earlier builds did, for stores those builds wrote too.
/// </summary>
public abstract class OneEventPerRequestContractTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, 123, TimeSpan.Zero);
    private readonly TempDirectory _scratch = new();

    protected abstract string StoreSpec { get; }

    internal TempDirectory Scratch => _scratch;

    private ProvenanceOptions Options => new() { SpoolDirectory = _scratch.Path, RunAsyncProjections = false };

    [Fact]
    public async Task StoreWithOldEvents_ServesTheSameProvenanceForOldAndNewRequests()
    {
        // A store written by the previous version: four events per request.
        await using (var old = await ProvenanceStore.OpenAsync(StoreSpec, Options))
        {
            foreach (var e in OldRequest("old"))
            {
                old.Writer.Record(e);
            }

            old.Writer.Record(Retrieval("old"));
            await old.Writer.FlushAsync();
        }

        // Reopened by this version, which adds one event per request.
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        store.Writer.Record(Retrieval("new"));
        store.Writer.Record(NewRequest("new"));
        await store.Writer.FlushAsync();

        var oldView = await store.GetRequestProvenanceAsync("old");
        var newView = await store.GetRequestProvenanceAsync("new");
        Assert.NotNull(oldView);
        Assert.NotNull(newView);
        Assert.Equal(2, (await store.Events.ReadStreamAsync("new")).Count);
        Assert.Equal(5, (await store.Events.ReadStreamAsync("old")).Count);

        // Byte for byte the same document, request id apart.
        Assert.Equal(Json(oldView with { RequestId = "x" }), Json(newView with { RequestId = "x" }));
        Assert.Equal(("sess-9", "anthropic", "claude-sonnet-4-5", "/v1/messages", "tenant-1"), (newView.Session, newView.Provider, newView.Model, newView.Route, newView.Tenant));
        Assert.Equal(At, newView.ReceivedAt);
        Assert.Equal(new(1200, 300), newView.Totals);
        Assert.Equal(("Bash", "npm test", "log", "0123456789abcdef01234567"), (newView.Sources[1].Tool, newView.Sources[1].Command, newView.Sources[1].Compressor, newView.Sources[1].Hash));
        Assert.Equal((200, "claude-sonnet-4-5-20250929", 50L, 20L, 1000L, 30L, 5L, 300.0, 1200.0, 0.8), (newView.Usage!.Status, newView.Usage.ResponseModel, newView.Usage.InputTokens, newView.Usage.OutputTokens, newView.Usage.CacheReadTokens, newView.Usage.CacheWrite5mTokens, newView.Usage.CacheWrite1hTokens, newView.Usage.TtfbMs, newView.Usage.TotalMs, newView.Usage.OverheadMs));
        Assert.Equal("0123456789abcdef01234567", Assert.Single(newView.Retrievals).Hash);
    }

    [Fact]
    public async Task Summary_CountsOldAndNewRequestsAlike()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        foreach (var e in OldRequest("old").Append(Retrieval("old")).Append(Retrieval("new")).Append(NewRequest("new")))
        {
            store.Writer.Record(e);
        }

        await store.Writer.FlushAsync();
        await store.CatchUpProjectionsAsync();
        var summary = await store.GetTelemetrySummaryAsync();

        Assert.Equal((2L, 0L, 2400L, 600L, 100L, 40L, 2000L, 70L, 2L), (summary.Totals.Requests, summary.Totals.Errors, summary.Totals.TokensBefore, summary.Totals.TokensAfter, summary.Totals.InputTokens, summary.Totals.OutputTokens, summary.Totals.CacheReadTokens, summary.Totals.CacheWriteTokens, summary.Totals.Retrievals));
        var model = Assert.Single(summary.Models);
        Assert.Equal(("claude-sonnet-4-5", 2L, 2L), (model.Model, model.Totals.Requests, model.Totals.Retrievals));
        Assert.Equal(["new", "old"], summary.Recent.Select(r => r.RequestId));
        Assert.Equal(summary.Recent[1] with { RequestId = "x" }, summary.Recent[0] with { RequestId = "x" });
    }

    [Fact]
    public async Task Summary_FromCompletedEventsAlone_NeedsNoOtherEvent()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        for (var i = 0; i < 120; i++)
        {
            store.Writer.Record(NewRequest("r" + i) with { Status = i % 10 == 0 ? 529 : 200, Model = i % 2 == 0 ? "gpt-5" : "claude-sonnet-4-5" });
        }

        await store.Writer.FlushAsync();
        await store.CatchUpProjectionsAsync();
        var summary = await store.GetTelemetrySummaryAsync();

        Assert.Equal((120L, 12L, 108_000L), (summary.Totals.Requests, summary.Totals.Errors, summary.Totals.TokensSaved));
        Assert.Equal([("claude-sonnet-4-5", 60L), ("gpt-5", 60L)], summary.Models.Select(m => (m.Model, m.Totals.Requests)));
        Assert.Equal(100, summary.Recent.Count);
        Assert.Equal(("r119", 200, 1200L, 300L), (summary.Recent[0].RequestId, summary.Recent[0].Status, summary.Recent[0].TokensBefore, summary.Recent[0].TokensAfter));
    }

    private static string Json(RequestProvenance view) => JsonSerializer.Serialize(view, ProvenanceJsonContext.Default.RequestProvenance);

    private static RetrievalServed Retrieval(string id) =>
        new() { RequestId = id, Timestamp = At.AddMilliseconds(700), Hash = "0123456789abcdef01234567", Found = true, Bytes = 5000, Via = "tool" };

    internal static IReadOnlyList<ContextBlock> Blocks() =>
    [
        new ContextBlock { Kind = "text", Role = "user", Message = 0, Block = 0, TokensBefore = 200, TokensAfter = 200 },
        new ContextBlock
        {
            Kind = "tool_result",
            Role = "user",
            Message = 2,
            Block = 1,
            Tool = "Bash",
            ToolUseId = "toolu_01",
            Command = "npm test",
            TokensBefore = 1000,
            TokensAfter = 100,
            Compressor = "log",
            Hash = "0123456789abcdef01234567",
            Spans = [[0, 40, 0, 40], [40, 90, 40, 5000]],
            Output = "kept lines\n[headroom: 120 lines omitted]",
        },
    ];

    private static TokenUsage Usage() => new() { InputTokens = 50, OutputTokens = 20, CacheReadTokens = 1000, CacheWrite5mTokens = 30, CacheWrite1hTokens = 5 };

    /// <summary>The four events the previous version wrote for one request.</summary>
    internal static IEnumerable<ProvenanceEvent> OldRequest(string id)
    {
        yield return new RequestReceived { RequestId = id, Timestamp = At, SessionId = "sess-9", Provider = "anthropic", Model = "claude-sonnet-4-5", Route = "/v1/messages", Tenant = "tenant-1", Stream = true, Client = "claude-cli/2.1" };
        yield return new ContextComposed { RequestId = id, Timestamp = At, Blocks = Blocks() };
        yield return new UpstreamCompleted { RequestId = id, Timestamp = At.AddMilliseconds(1200), Status = 200, ResponseModel = "claude-sonnet-4-5-20250929", Usage = Usage(), TtfbMs = 300, TotalMs = 1200, OverheadMs = 0.8 };
        yield return new RequestAccounted { RequestId = id, Timestamp = At, SessionId = "sess-9", Provider = "anthropic", Model = "claude-sonnet-4-5-20250929", Status = 200, InputTokens = 50, OutputTokens = 20, CacheReadTokens = 1000, CacheWriteTokens = 35, TokensSaved = 900, Verdict = "hit", CacheCheck = "consistent", Retrievals = 1, OverheadMs = 0.8, TtfbMs = 300 };
    }

    /// <summary>The one event this version writes for the same request.</summary>
    internal static RequestCompleted NewRequest(string id) => new()
    {
        RequestId = id,
        Timestamp = At,
        SessionId = "sess-9",
        Provider = "anthropic",
        Model = "claude-sonnet-4-5",
        Route = "/v1/messages",
        Tenant = "tenant-1",
        Stream = true,
        Client = "claude-cli/2.1",
        Blocks = Blocks(),
        Status = 200,
        ResponseModel = "claude-sonnet-4-5-20250929",
        Usage = Usage(),
        TtfbMs = 300,
        TotalMs = 1200,
        OverheadMs = 0.8,
        Accounting = new RequestAccounting { TokensSaved = 900, Verdict = "hit", CacheCheck = "consistent", Retrievals = 1 },
    };

    [Fact]
    public async Task StoreWrittenWithInlineDocuments_AnswersFromItsEventsAsTheDocumentsDid()
    {
        // 1. Written the way earlier builds wrote: events plus one inline document per request, in three batches.
        var inline = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var old = await OpenBackendAsync([new InlineRequestProvenance()]))
        {
            foreach (var batch in Batches())
            {
                foreach (var stream in batch.GroupBy(e => e.RequestId))
                {
                    await old.Events.AppendAsync(stream.Key, ExpectedVersion.Any, stream.Select(EventSerializer.ToNewEvent).ToList());
                }
            }

            foreach (var id in (string[])["new", "old"])
            {
                var document = await old.Projections.LoadDocumentAsync(InlineRequestProvenance.Type, id, CancellationToken.None);
                inline[id] = Json(JsonSerializer.Deserialize(document!, ProvenanceJsonContext.Default.RequestProvenance)!);
            }
        }

        // 2. This build reads the same store: the fold equals the inline document, and the JSON an earlier build served.
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        Assert.Equal(inline["new"], Json((await store.GetRequestProvenanceAsync("new"))!));
        Assert.Equal(inline["old"], Json((await store.GetRequestProvenanceAsync("old"))!));
        Assert.Equal(ServedByEarlierBuild("new"), inline["new"]);
        Assert.Equal(ServedByEarlierBuild("old"), inline["old"]);

        // 3. A retrieval recorded after the upgrade shows, though the old document was written without it.
        store.Writer.Record(Retrieval("new", 4));
        await store.Writer.FlushAsync();
        Assert.Equal([5000, 5002, 5004], (await store.GetRequestProvenanceAsync("new"))!.Retrievals.Select(r => r.Bytes));
    }

    [Fact]
    public async Task RecordedRequest_WritesNoPerRequestDocument()
    {
        await using (var store = await ProvenanceStore.OpenAsync(StoreSpec, Options))
        {
            foreach (var e in Batches().SelectMany(b => b))
            {
                store.Writer.Record(e);
            }

            await store.Writer.FlushAsync();
            Assert.Equal(ServedByEarlierBuild("new"), Json((await store.GetRequestProvenanceAsync("new"))!));
        }

        await using var backend = await OpenBackendAsync([]);
        Assert.Equal(3, (await backend.Events.ReadStreamAsync("new")).Count);
        Assert.Null(await backend.Projections.LoadDocumentAsync(InlineRequestProvenance.Type, "new", CancellationToken.None));
        Assert.Null(await backend.Projections.LoadDocumentAsync(InlineRequestProvenance.Type, "old", CancellationToken.None));
    }

    private async Task<Backend> OpenBackendAsync(IReadOnlyList<IProjection> inline) => StoreSpec.StartsWith("sqlite:", StringComparison.Ordinal)
        ? await SqliteBackend.OpenAsync(StoreSpec["sqlite:".Length..], inline, null)
        : await PostgresBackend.OpenAsync(StoreSpec["postgres:".Length..], inline, null);

    private static RetrievalServed Retrieval(string id, int n) =>
        new() { RequestId = id, Timestamp = At.AddMilliseconds(700 + n), Hash = "0123456789abcdef01234567", Found = n % 2 == 0, Bytes = 5000 + n, Via = n % 2 == 0 ? "tool" : "http" };

    /// <summary>Request "new" (one completed event) and "old" (the four-event form), each with retrievals, in three batches.</summary>
    private static IEnumerable<ProvenanceEvent[]> Batches()
    {
        var old = OldRequest("old").ToList();
        yield return [Retrieval("new", 0), old[0], old[1]];
        yield return [NewRequest("new"), old[2], old[3], Retrieval("old", 1)];
        yield return [Retrieval("new", 2), Retrieval("old", 3)];
    }

    /// <summary>What `GET /provenance/{id}` served for these events before this build (its inline document, captured once).</summary>
    private static string ServedByEarlierBuild(string id) => id switch
    {
        "new" => """
            {"requestId":"new","session":"sess-9","provider":"anthropic","model":"claude-sonnet-4-5","route":"/v1/messages","tenant":"tenant-1","receivedAt":"2026-11-30T09:15:00.123+00:00","totals":{"tokensBefore":1200,"tokensAfter":300,"tokensSaved":900},"sources":[{"kind":"text","role":"user","message":0,"block":0,"tokensBefore":200,"tokensAfter":200},{"kind":"tool_result","role":"user","message":2,"block":1,"tool":"Bash","toolUseId":"toolu_01","command":"npm test","tokensBefore":1000,"tokensAfter":100,"compressor":"log","hash":"0123456789abcdef01234567","spans":[[0,40,0,40],[40,90,40,5000]],"output":"kept lines\n[headroom: 120 lines omitted]"}],"usage":{"status":200,"responseModel":"claude-sonnet-4-5-20250929","inputTokens":50,"outputTokens":20,"cacheReadTokens":1000,"cacheWrite5mTokens":30,"cacheWrite1hTokens":5,"ttfbMs":300,"totalMs":1200,"overheadMs":0.8},"retrievals":[{"hash":"0123456789abcdef01234567","found":true,"bytes":5000,"via":"tool","at":"2026-11-30T09:15:00.823+00:00"},{"hash":"0123456789abcdef01234567","found":true,"bytes":5002,"via":"tool","at":"2026-11-30T09:15:00.825+00:00"}]}
            """,
        _ => """
            {"requestId":"old","session":"sess-9","provider":"anthropic","model":"claude-sonnet-4-5","route":"/v1/messages","tenant":"tenant-1","receivedAt":"2026-11-30T09:15:00.123+00:00","totals":{"tokensBefore":1200,"tokensAfter":300,"tokensSaved":900},"sources":[{"kind":"text","role":"user","message":0,"block":0,"tokensBefore":200,"tokensAfter":200},{"kind":"tool_result","role":"user","message":2,"block":1,"tool":"Bash","toolUseId":"toolu_01","command":"npm test","tokensBefore":1000,"tokensAfter":100,"compressor":"log","hash":"0123456789abcdef01234567","spans":[[0,40,0,40],[40,90,40,5000]],"output":"kept lines\n[headroom: 120 lines omitted]"}],"usage":{"status":200,"responseModel":"claude-sonnet-4-5-20250929","inputTokens":50,"outputTokens":20,"cacheReadTokens":1000,"cacheWrite5mTokens":30,"cacheWrite1hTokens":5,"ttfbMs":300,"totalMs":1200,"overheadMs":0.8},"retrievals":[{"hash":"0123456789abcdef01234567","found":false,"bytes":5001,"via":"http","at":"2026-11-30T09:15:00.824+00:00"},{"hash":"0123456789abcdef01234567","found":false,"bytes":5003,"via":"http","at":"2026-11-30T09:15:00.826+00:00"}]}
            """,
    };

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}
