using Headroom.Gateway.Caching;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// In-memory totals and the last 100 requests, served by <c>/telemetry/summary</c>. A lock per
/// record is cheap next to a proxied request and keeps the totals consistent with the list.
/// Also money (<see cref="CostModel"/>) and totals by session and tool.
/// </summary>
public sealed class UsageLedger : IRequestRecordSink
{
    public const int RecentCapacity = 100;
    public const int SessionCapacity = 1000;

    /// <summary>Distinct tool names counted apart; names are client-supplied, so the rest share one row.</summary>
    public const int ToolCapacity = 256;

    public const string OtherTools = "(other tools)";

    private readonly ModelPriceTable _prices;
    private readonly Dictionary<string, SessionTotals> _sessions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ToolSummary> _tools = new(StringComparer.Ordinal);
    private CostTotals _cost = new();

    public UsageLedger()
        : this(ModelPriceTable.Default)
    {
    }

    public UsageLedger(ModelPriceTable prices) => _prices = prices;

    private readonly Lock _gate = new();
    private readonly RequestRecord[] _recent = new RequestRecord[RecentCapacity];
    private readonly SortedDictionary<(Provider, string), ModelTotals> _byModel = new();
    private int _next;
    private int _count;
    private long _requests;
    private long _errors;
    private TokenUsage _usage = TokenUsage.Empty;

    public void Record(RequestRecord record)
    {
        // Pure work on the record outside the lock: concurrent requests wait only for the additions.
        var cost = record.Api is ApiKind.Other ? null : CostModel.Compute(record, _prices);
        var notes = cost is null ? null : CacheNotes.From(record.Live?.Annotations);
        lock (_gate)
        {
            // The recent list keeps what the summary shows, not the forwarded body (up to MaxBodyBytes each).
            _recent[_next] = record.Live is { Body: not null } live ? record with { Live = live with { Body = null } } : record;
            _next = (_next + 1) % RecentCapacity;
            _count = Math.Min(_count + 1, RecentCapacity);
            _requests++;
            if (record.Status >= 400 || record.Error is not null)
            {
                _errors++;
            }

            var key = (record.Provider, record.Model ?? "(unknown)");
            if (!_byModel.TryGetValue(key, out var totals))
            {
                totals = new ModelTotals();
                _byModel[key] = totals;
            }

            totals.Requests++;
            if (record.Usage is { } usage)
            {
                _usage = _usage.Add(usage);
                totals.Usage = totals.Usage.Add(usage);
            }

            if (cost is not null)
            {
                AddCostSessionAndTools(record, totals, cost, notes);
            }
        }
    }

    /// <summary>Money, sessions and tools (caller holds the lock).</summary>
    private void AddCostSessionAndTools(RequestRecord record, ModelTotals model, RequestCost cost, CacheNotes? notes)
    {
        _cost = _cost.Add(cost);
        model.Cost = model.Cost.Add(cost);

        var id = record.SessionId ?? "(none)";
        if (!_sessions.TryGetValue(id, out var session))
        {
            if (_sessions.Count >= SessionCapacity)
            {
                _sessions.Remove(_sessions.MinBy(kv => kv.Value.LastAt).Key);
            }

            session = _sessions[id] = new SessionTotals();
        }

        session.Requests++;
        session.Usage = session.Usage.Add(record.Usage ?? TokenUsage.Empty);
        session.Cost = session.Cost.Add(cost);
        session.LastAt = record.StartedAt;
        session.LastVerdict = notes?.Verdict ?? session.LastVerdict;
        session.Breaks += notes?.Verdict == CacheVerdict.Broken ? 1 : 0;

        foreach (var outcome in record.Live?.Outcomes ?? [])
        {
            var name = outcome.Block.ToolName ?? "(unknown)";
            if (!_tools.ContainsKey(name) && _tools.Count >= ToolCapacity)
            {
                name = OtherTools;
            }

            var tool = _tools.GetValueOrDefault(name) ?? new ToolSummary(name, 0, 0, 0, 0);
            var compressed = outcome.Compressed && outcome.TokensBefore > outcome.TokensAfter;
            var before = outcome.TokensBefore > 0 ? outcome.TokensBefore : Math.Max(1, outcome.Block.Length / 4);
            _tools[name] = tool with
            {
                Outputs = tool.Outputs + 1,
                Compressed = tool.Compressed + (compressed ? 1 : 0),
                TokensBefore = tool.TokensBefore + before,
                TokensAfter = tool.TokensAfter + (compressed ? outcome.TokensAfter : before),
            };
        }
    }

    /// <summary>The <c>/telemetry/summary</c> view: <see cref="Snapshot"/> plus money, sessions (most recent first) and tools.</summary>
    public GatewaySummary Summary()
    {
        var basic = Snapshot();
        lock (_gate)
        {
            var models = _byModel.Select(kv => new ModelCostSummary(kv.Key.Item1, kv.Key.Item2, kv.Value.Requests, kv.Value.Usage, kv.Value.Cost)).ToList();
            var sessions = _sessions
                .OrderByDescending(kv => kv.Value.LastAt).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new SessionSummary(kv.Key, kv.Value.Requests, kv.Value.Usage, kv.Value.Cost, kv.Value.Breaks, kv.Value.LastVerdict, kv.Value.LastAt))
                .ToList();
            return new GatewaySummary(basic.Requests, basic.Errors, basic.Usage, _cost, models, sessions, _tools.Values.ToList(), basic.Recent);
        }
    }

    private sealed class SessionTotals
    {
        public long Requests { get; set; }
        public TokenUsage Usage { get; set; } = TokenUsage.Empty;
        public CostTotals Cost { get; set; } = new();
        public long Breaks { get; set; }
        public string? LastVerdict { get; set; }
        public DateTimeOffset LastAt { get; set; }
    }

    public UsageSummary Snapshot()
    {
        lock (_gate)
        {
            var recent = new List<RequestRecord>(_count);
            for (var i = 0; i < _count; i++)
            {
                // Newest first.
                recent.Add(_recent[(_next - 1 - i + RecentCapacity) % RecentCapacity]);
            }

            var models = _byModel.Select(kv => new ModelSummary(kv.Key.Item1, kv.Key.Item2, kv.Value.Requests, kv.Value.Usage)).ToList();
            return new UsageSummary(_requests, _errors, _usage, models, recent);
        }
    }

    private sealed class ModelTotals
    {
        public long Requests { get; set; }
        public TokenUsage Usage { get; set; } = TokenUsage.Empty;
        public CostTotals Cost { get; set; } = new();
    }
}
