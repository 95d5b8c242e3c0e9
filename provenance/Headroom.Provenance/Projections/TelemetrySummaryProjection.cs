using System.Text.Json;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Async projection behind `/telemetry/summary`: one document with totals, per-model totals and the last
/// 100 requests. A request_completed event names its model; for the older per-request events and for
/// retrievals the model is taken from the request's stream, folded as <see cref="RequestProvenanceFold"/>
/// does (committed before this projection sees it), so attribution does not depend on event order.
/// </summary>
internal sealed class TelemetrySummaryProjection : IProjection
{
    public const string Type = "telemetry_summary";
    public const string DocumentId = "summary";
    private const string UnknownModel = "unknown";

    public static TelemetrySummaryProjection Instance { get; } = new();

    public string Name => Type;

    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, IDocumentSession session, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var stored = await session.LoadManyAsync(Type, [DocumentId], cancellationToken).ConfigureAwait(false);
        var state = stored.TryGetValue(DocumentId, out var json)
            ? JsonSerializer.Deserialize(json, ProvenanceStateJsonContext.Default.TelemetryState) ?? new TelemetryState()
            : new TelemetryState();

        // A request_completed event names its model; the older per-request events (and retrievals) take it
        // from the request's stream, read only for those.
        var parsed = new object?[events.Count];
        HashSet<string>? lookUp = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            parsed[i] = e.Payload is CompletedFigures figures ? figures // this process's own append, summarized when committed
                : e.Type == EventSerializer.RequestCompletedType && e.Payload is null
                ? CompletedFigures.Read(e.Data.Span)
                : EventSerializer.Deserialize(e);
            if (parsed[i] is not (RequestCompleted or CompletedFigures or null))
            {
                (lookUp ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.StreamId);
            }
        }

        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lookUp is not null)
        {
            foreach (var id in lookUp)
            {
                var stream = await session.ReadStreamAsync(id, cancellationToken).ConfigureAwait(false);
                models[id] = RequestProvenanceFold.Of(id, stream)?.Model ?? UnknownModel;
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            switch (parsed[i])
            {
                case CompletedFigures figures:
                    Fold(state, figures);
                    break;
                case RequestCompleted completed:
                    Fold(state, CompletedFigures.From(completed));
                    break;
                default:
                    Fold(state, parsed[i] as ProvenanceEvent, models.GetValueOrDefault(events[i].StreamId, UnknownModel));
                    break;
            }

            state.Position = events[i].Sequence;
        }

        await session.UpsertManyAsync(Type, [new(DocumentId, JsonSerializer.SerializeToUtf8Bytes(state, ProvenanceStateJsonContext.Default.TelemetryState))], cancellationToken).ConfigureAwait(false);
    }

    public static void Fold(TelemetryState state, ProvenanceEvent? e, string model)
    {
        if (e is RequestCompleted completed)
        {
            Fold(state, CompletedFigures.From(completed)); // it names its own model
            return;
        }

        if (e is not (RequestReceived or ContextComposed or UpstreamCompleted or RetrievalServed))
        {
            // Unknown to this projection (null = a type this version cannot read; or another feature's event).
            return;
        }

        if (!state.Models.TryGetValue(model, out var perModel))
        {
            perModel = state.Models[model] = new TelemetryCounters();
        }

        var recentIndex = state.Recent.FindLastIndex(r => r.RequestId == e.RequestId);
        switch (e)
        {
            case RequestReceived r:
                state.Totals.Requests++;
                perModel.Requests++;
                if (recentIndex < 0)
                {
                    AddRecent(state, new RecentRequest { RequestId = r.RequestId, At = r.Timestamp, Provider = r.Provider, Model = r.Model });
                }
                else
                {
                    state.Recent[recentIndex] = state.Recent[recentIndex] with { At = r.Timestamp, Provider = r.Provider, Model = r.Model };
                }

                break;

            case ContextComposed c:
                var (before, after) = Sum(c.Blocks);

                state.Totals.TokensBefore += before;
                state.Totals.TokensAfter += after;
                perModel.TokensBefore += before;
                perModel.TokensAfter += after;
                if (recentIndex >= 0)
                {
                    var recent = state.Recent[recentIndex];
                    state.Recent[recentIndex] = recent with { TokensBefore = recent.TokensBefore + before, TokensAfter = recent.TokensAfter + after };
                }

                break;

            case UpstreamCompleted u:
                var cacheWrite = u.Usage.CacheWrite5mTokens + u.Usage.CacheWrite1hTokens;
                foreach (var counters in (ReadOnlySpan<TelemetryCounters>)[state.Totals, perModel])
                {
                    counters.Errors += u.Status >= 400 ? 1 : 0;
                    counters.InputTokens += u.Usage.InputTokens;
                    counters.OutputTokens += u.Usage.OutputTokens;
                    counters.CacheReadTokens += u.Usage.CacheReadTokens;
                    counters.CacheWriteTokens += cacheWrite;
                }

                if (recentIndex >= 0)
                {
                    state.Recent[recentIndex] = state.Recent[recentIndex] with
                    {
                        Status = u.Status,
                        InputTokens = u.Usage.InputTokens,
                        OutputTokens = u.Usage.OutputTokens,
                        CacheReadTokens = u.Usage.CacheReadTokens,
                        CacheWriteTokens = cacheWrite,
                        TotalMs = u.TotalMs,
                    };
                }

                break;

            case RetrievalServed:
                state.Totals.Retrievals++;
                perModel.Retrievals++;
                break;
        }
    }

    /// <summary>One request_completed event: what RequestReceived, ContextComposed and UpstreamCompleted did, in one step.</summary>
    internal static void Fold(TelemetryState state, CompletedFigures c)
    {
        var model = c.Model ?? UnknownModel;
        if (!state.Models.TryGetValue(model, out var perModel))
        {
            perModel = state.Models[model] = new TelemetryCounters();
        }

        state.Totals.Requests++;
        perModel.Requests++;
        long tokensBefore = 0, tokensAfter = 0;
        foreach (var block in c.Blocks)
        {
            tokensBefore += block.TokensBefore;
            tokensAfter += block.TokensAfter;
        }

        var written = c.Usage.CacheWrite5mTokens + c.Usage.CacheWrite1hTokens;
        foreach (var counters in (ReadOnlySpan<TelemetryCounters>)[state.Totals, perModel])
        {
            counters.TokensBefore += tokensBefore;
            counters.TokensAfter += tokensAfter;
            counters.Errors += c.Status >= 400 ? 1 : 0;
            counters.InputTokens += c.Usage.InputTokens;
            counters.OutputTokens += c.Usage.OutputTokens;
            counters.CacheReadTokens += c.Usage.CacheReadTokens;
            counters.CacheWriteTokens += written;
        }

        var line = new RecentRequest
        {
            RequestId = c.RequestId,
            At = c.Timestamp,
            Provider = c.Provider,
            Model = c.Model,
            TokensBefore = tokensBefore,
            TokensAfter = tokensAfter,
            Status = c.Status,
            InputTokens = c.Usage.InputTokens,
            OutputTokens = c.Usage.OutputTokens,
            CacheReadTokens = c.Usage.CacheReadTokens,
            CacheWriteTokens = written,
            TotalMs = c.TotalMs,
        };
        var recentIndex = state.Recent.FindLastIndex(r => r.RequestId == c.RequestId);
        if (recentIndex < 0)
        {
            AddRecent(state, line);
        }
        else
        {
            state.Recent[recentIndex] = line;
        }
    }

    private static void AddRecent(TelemetryState state, RecentRequest line)
    {
        state.Recent.Add(line);
        if (state.Recent.Count > TelemetryState.RecentCapacity)
        {
            state.Recent.RemoveRange(0, state.Recent.Count - TelemetryState.RecentCapacity);
        }
    }

    private static (long Before, long After) Sum(IReadOnlyList<ContextBlock> blocks)
    {
        long before = 0, after = 0;
        foreach (var block in blocks)
        {
            before += block.TokensBefore;
            after += block.TokensAfter;
        }

        return (before, after);
    }
}
