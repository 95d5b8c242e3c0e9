using System.Text.Json;
using Headroom.Compressors.Spans;
using Headroom.Provenance.Events;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

/// <summary>The facade the gateway uses, end to end on each backend: record → project → query.</summary>
public abstract class ProvenanceStoreContractTests : IDisposable
{
    private readonly TempDirectory _spool = new();

    protected abstract string StoreSpec { get; }

    /// <summary>A directory deleted after the test (it also holds the spool).</summary>
    internal TempDirectory Scratch => _spool;

    private ProvenanceOptions Options => new() { SpoolDirectory = _spool.Path, RunAsyncProjections = false };

    [Fact]
    public async Task RecordedRequest_IsServedByGetRequestProvenance()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        foreach (var e in Request("req-1", "claude-sonnet-4-5"))
        {
            store.Writer.Record(e);
        }

        await store.Writer.FlushAsync();
        var view = await store.GetRequestProvenanceAsync("req-1");

        Assert.NotNull(view);
        Assert.Equal("sess-9", view.Session);
        Assert.Equal("anthropic", view.Provider);
        Assert.Equal("claude-sonnet-4-5", view.Model);
        Assert.Equal(new(1200, 300), view.Totals);
        Assert.Equal(900, view.Totals.TokensSaved);
        Assert.Equal(2, view.Sources.Count);
        var tool = view.Sources[1];
        Assert.Equal(("Bash", "toolu_01", "npm test", "log", "0123456789abcdef01234567"), (tool.Tool, tool.ToolUseId, tool.Command, tool.Compressor, tool.Hash));
        Assert.Equal([[0, 40, 0, 40], [40, 90, 40, 5000]], tool.Spans!.Select(s => s.ToArray()));
        Assert.Equal(200, view.Usage!.Status);
        Assert.Equal((50, 20, 1000, 30, 5), (view.Usage.InputTokens, view.Usage.OutputTokens, view.Usage.CacheReadTokens, view.Usage.CacheWrite5mTokens, view.Usage.CacheWrite1hTokens));
        Assert.Single(view.Retrievals);

        var json = JsonSerializer.Serialize(view, ProvenanceJsonContext.Default.RequestProvenance);
        Assert.Contains("\"spans\":[[0,40,0,40],[40,90,40,5000]]", json, StringComparison.Ordinal);
        Assert.Contains("\"toolUseId\":\"toolu_01\"", json, StringComparison.Ordinal);
        Assert.Contains("\"tokensSaved\":900", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestRecordedAcrossBatches_KeepsEveryEventsFields()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        var events = Request("split", "gpt-5").ToList();
        foreach (var e in events)
        {
            store.Writer.Record(e);
            await store.Writer.FlushAsync();
        }

        var view = await store.GetRequestProvenanceAsync("split");

        Assert.NotNull(view);
        Assert.Equal(("anthropic", "gpt-5", 2, 200, 1), (view.Provider, view.Model, view.Sources.Count, view.Usage?.Status, view.Retrievals.Count));
    }

    [Fact]
    public async Task Record_WithoutRequestId_ThrowsAtTheCaller()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);

        Assert.Throws<ArgumentException>(() => store.Writer.Record(new RequestReceived { RequestId = string.Empty, Provider = "openai" }));
    }

    [Fact]
    public async Task GetRequestProvenance_UnknownId_ReturnsNull()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);

        Assert.Null(await store.GetRequestProvenanceAsync("nope"));
    }

    [Fact]
    public async Task TelemetrySummary_SurvivesReopen()
    {
        await using (var store = await ProvenanceStore.OpenAsync(StoreSpec, Options))
        {
            foreach (var e in Request("a", "claude-sonnet-4-5").Concat(Request("b", "claude-sonnet-4-5")).Concat(Request("c", "gpt-5")))
            {
                store.Writer.Record(e);
            }

            await store.Writer.FlushAsync();
            await store.CatchUpProjectionsAsync();
        }

        await using var reopened = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        var summary = await reopened.GetTelemetrySummaryAsync();

        Assert.Equal(3, summary.Totals.Requests);
        Assert.Equal(2700, summary.Totals.TokensSaved);
        Assert.Equal(3000, summary.Totals.CacheReadTokens);
        Assert.Equal(105, summary.Totals.CacheWriteTokens);
        Assert.Equal(3, summary.Totals.Retrievals);
        Assert.Equal(["claude-sonnet-4-5", "gpt-5"], summary.Models.Select(m => m.Model));
        Assert.Equal(2, summary.Models[0].Totals.Requests);
        Assert.Equal(["c", "b", "a"], summary.Recent.Select(r => r.RequestId));
        Assert.Equal(200, summary.Recent[0].Status);
        Assert.Equal(1200, summary.Recent[0].TokensBefore);
    }

    [Fact]
    public async Task TelemetrySummary_KeepsOnlyTheLastHundredRequests()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options);
        for (var i = 0; i < 130; i++)
        {
            store.Writer.Record(new RequestReceived { RequestId = "r" + i, Provider = "openai", Model = "gpt-5" });
        }

        await store.Writer.FlushAsync();
        await store.CatchUpProjectionsAsync();
        var summary = await store.GetTelemetrySummaryAsync();

        Assert.Equal(130, summary.Totals.Requests);
        Assert.Equal(100, summary.Recent.Count);
        Assert.Equal("r129", summary.Recent[0].RequestId);
        Assert.Equal("r30", summary.Recent[^1].RequestId);
    }

    [Fact]
    public async Task BackgroundRunner_KeepsTheSummaryCurrentWithoutBeingAsked()
    {
        await using var store = await ProvenanceStore.OpenAsync(StoreSpec, Options with { RunAsyncProjections = true, ProjectionPollInterval = TimeSpan.FromMilliseconds(50) });
        foreach (var e in Request("bg", "gpt-5"))
        {
            store.Writer.Record(e);
        }

        await store.Writer.FlushAsync();

        Assert.True(await Writing.Eventually.HoldsAsync(async () => (await store.GetTelemetrySummaryAsync()).Totals.Requests == 1, TimeSpan.FromSeconds(15)));
    }

    internal static IEnumerable<ProvenanceEvent> Request(string id, string model)
    {
        yield return new RequestReceived { RequestId = id, SessionId = "sess-9", Provider = "anthropic", Model = model, Route = "/v1/messages", Stream = true };
        yield return new ContextComposed
        {
            RequestId = id,
            Blocks =
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
                    Spans = ContextBlock.SpansFrom([new Span(SpanKind.Kept, 0, 40, 0, 40), new Span(SpanKind.Marker, 40, 90, 40, 5000)]),
                },
            ],
        };
        yield return new UpstreamCompleted
        {
            RequestId = id,
            Status = 200,
            Usage = new TokenUsage { InputTokens = 50, OutputTokens = 20, CacheReadTokens = 1000, CacheWrite5mTokens = 30, CacheWrite1hTokens = 5 },
            TtfbMs = 300,
            TotalMs = 1200,
            OverheadMs = 0.8,
        };
        yield return new RetrievalServed { RequestId = id, Hash = "0123456789abcdef01234567", Found = true, Bytes = 5000, Via = "tool" };
    }

    public void Dispose()
    {
        _spool.Dispose();
        GC.SuppressFinalize(this);
    }
}
