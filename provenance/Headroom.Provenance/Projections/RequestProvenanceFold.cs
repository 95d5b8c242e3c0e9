using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// One request's <see cref="RequestProvenance"/>, folded from its stream when it is asked for
/// (`GET /provenance/{id}`, `headroom provenance`): nothing is written per request beyond the events. Each
/// event sets only its own fields, so the fold does not depend on the order events of one request arrive
/// in. A request is one <see cref="RequestCompleted"/> (plus its retrievals); stores written earlier hold
/// the four events it replaced, which fold into the same view. Older builds also kept this view as an
/// inline "request_provenance" document; those rows stay where they are and are not read.
/// </summary>
internal static class RequestProvenanceFold
{
    /// <summary>The view of stream <paramref name="requestId"/>, or null when it has no event (an unknown id).</summary>
    public static RequestProvenance? Of(string requestId, IReadOnlyList<RecordedEvent> stream)
    {
        if (stream.Count == 0)
        {
            return null;
        }

        var view = new RequestProvenance { RequestId = requestId };
        foreach (var e in stream)
        {
            view = Fold(view, EventSerializer.Deserialize(e));
        }

        return view;
    }

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
            Usage = UsageOf(c.Status, c.ResponseModel, c.Usage, c.TtfbMs, c.TotalMs, c.OverheadMs) with { Error = c.Error, FailOpen = c.FailOpen },
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
