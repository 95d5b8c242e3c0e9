using System.Text.Json;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

/// <summary>
/// A request's provenance is folded from its stream when it is read. It must answer as the inline
/// "request_provenance" document of earlier builds did, for stores those builds wrote too.
/// </summary>
public abstract class ProvenanceOnReadContractTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, 123, TimeSpan.Zero);
    private readonly TempDirectory _scratch = new();

    protected abstract string StoreSpec { get; }

    internal TempDirectory Scratch => _scratch;

    private ProvenanceOptions Options => new() { SpoolDirectory = _scratch.Path, RunAsyncProjections = false };

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

    private static string Json(RequestProvenance view) => JsonSerializer.Serialize(view, ProvenanceJsonContext.Default.RequestProvenance);

    private static RetrievalServed Retrieval(string id, int n) =>
        new() { RequestId = id, Timestamp = At.AddMilliseconds(700 + n), Hash = "0123456789abcdef01234567", Found = n % 2 == 0, Bytes = 5000 + n, Via = n % 2 == 0 ? "tool" : "http" };

    /// <summary>Request "new" (one completed event) and "old" (the four-event form), each with retrievals, in three batches.</summary>
    private static IEnumerable<ProvenanceEvent[]> Batches()
    {
        var old = OneEventPerRequestContractTests.OldRequest("old").ToList();
        yield return [Retrieval("new", 0), old[0], old[1]];
        yield return [OneEventPerRequestContractTests.NewRequest("new"), old[2], old[3], Retrieval("old", 1)];
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
