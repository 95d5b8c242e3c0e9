using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// In-memory totals and the last 100 requests, served by <c>/telemetry/summary</c>. A lock per
/// record is cheap next to a proxied request and keeps the totals consistent with the list.
/// </summary>
public sealed class UsageLedger : IRequestRecordSink
{
    public const int RecentCapacity = 100;

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
        lock (_gate)
        {
            _recent[_next] = record;
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
        }
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
    }
}
