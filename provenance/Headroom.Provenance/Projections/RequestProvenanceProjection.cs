using System.Text.Json.Serialization.Metadata;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Inline projection: one <see cref="RequestProvenance"/> document per request id, updated in the append
/// transaction so `GET /provenance/{id}` is one primary-key read. Each event sets only its own fields,
/// so the fold does not depend on the order events of one request arrive in.
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
            Totals = new ProvenanceTotals(
                view.Totals.TokensBefore + c.Blocks.Sum(b => (long)b.TokensBefore),
                view.Totals.TokensAfter + c.Blocks.Sum(b => (long)b.TokensAfter)),
        },
        UpstreamCompleted u => view with
        {
            Usage = new ProvenanceUsage
            {
                Status = u.Status,
                ResponseModel = u.ResponseModel,
                InputTokens = u.Usage.InputTokens,
                OutputTokens = u.Usage.OutputTokens,
                CacheReadTokens = u.Usage.CacheReadTokens,
                CacheWrite5mTokens = u.Usage.CacheWrite5mTokens,
                CacheWrite1hTokens = u.Usage.CacheWrite1hTokens,
                TtfbMs = u.TtfbMs,
                TotalMs = u.TotalMs,
                OverheadMs = u.OverheadMs,
            },
        },
        RetrievalServed s => view with
        {
            Retrievals = [.. view.Retrievals, new RetrievalEntry(s.Hash, s.Found, s.Bytes, s.Via, s.Timestamp)],
        },
        _ => view,
    };
}
