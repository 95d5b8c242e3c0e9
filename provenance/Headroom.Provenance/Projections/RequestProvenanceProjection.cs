using System.Text.Json.Serialization.Metadata;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Inline projection: one <see cref="RequestProvenance"/> document per request id, updated in the append
/// transaction so `GET /provenance/{id}` is one primary-key read. Each event sets only its own fields,
/// so the fold does not depend on the order events of one request arrive in. A request is one
/// <see cref="RequestCompleted"/> (plus its retrievals); stores written earlier hold the four events it
/// replaced, which fold into the same document.
/// </summary>
internal sealed class RequestProvenanceProjection : DocumentProjection<RequestProvenance>
{
    public const string Type = "request_provenance";

    public static RequestProvenanceProjection Instance { get; } = new();

    public override string Name => Type;

    public override string DocumentType => Type;

    protected override JsonTypeInfo<RequestProvenance> TypeInfo => ProvenanceJsonContext.Default.RequestProvenance;

    protected override string? DocumentIdFor(RecordedEvent e) => e.StreamId;

    protected override bool DocumentPerStream => true;

    protected override RequestProvenance? Apply(RequestProvenance? current, string id, RecordedEvent e) =>
        Fold(current ?? new RequestProvenance { RequestId = id }, EventSerializer.Deserialize(e));

    public static RequestProvenance Fold(RequestProvenance view, ProvenanceEvent? e) => e switch
    {
        RequestCompleted c => view with
        {
            Session = c.SessionId,
            Provider = c.Provider,
            Model = c.Model,
            Route = c.Route,
            Tenant = c.Tenant,
            ReceivedAt = c.Timestamp,
            Sources = view.Sources.Count == 0 ? c.Blocks : [.. view.Sources, .. c.Blocks],
            Totals = Add(view.Totals, c.Blocks),
            Usage = UsageOf(c.Status, c.ResponseModel, c.Usage, c.TtfbMs, c.TotalMs, c.OverheadMs),
        },
        RequestReceived r => view with
        {
            Session = r.SessionId,
            Provider = r.Provider,
            Model = r.Model,
            Route = r.Route,
            Tenant = r.Tenant,
            ReceivedAt = r.Timestamp,
        },
        ContextComposed c => view with
        {
            Sources = [.. view.Sources, .. c.Blocks],
            Totals = Add(view.Totals, c.Blocks),
        },
        UpstreamCompleted u => view with
        {
            Usage = UsageOf(u.Status, u.ResponseModel, u.Usage, u.TtfbMs, u.TotalMs, u.OverheadMs),
        },
        RetrievalServed s => view with
        {
            Retrievals = [.. view.Retrievals, new RetrievalEntry(s.Hash, s.Found, s.Bytes, s.Via, s.Timestamp)],
        },
        _ => view,
    };

    private static ProvenanceTotals Add(ProvenanceTotals totals, IReadOnlyList<ContextBlock> blocks)
    {
        if (blocks.Count == 0)
        {
            return totals;
        }

        long before = 0, after = 0;
        foreach (var b in blocks)
        {
            before += b.TokensBefore;
            after += b.TokensAfter;
        }

        return new ProvenanceTotals(totals.TokensBefore + before, totals.TokensAfter + after);
    }

    private static ProvenanceUsage UsageOf(int status, string? responseModel, TokenUsage usage, double ttfbMs, double totalMs, double overheadMs) => new()
    {
        Status = status,
        ResponseModel = responseModel,
        InputTokens = usage.InputTokens,
        OutputTokens = usage.OutputTokens,
        CacheReadTokens = usage.CacheReadTokens,
        CacheWrite5mTokens = usage.CacheWrite5mTokens,
        CacheWrite1hTokens = usage.CacheWrite1hTokens,
        TtfbMs = ttfbMs,
        TotalMs = totalMs,
        OverheadMs = overheadMs,
    };
}
