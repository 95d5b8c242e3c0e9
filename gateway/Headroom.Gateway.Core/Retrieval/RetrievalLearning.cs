using System.Collections.Concurrent;
using Headroom.Gateway.Hosting;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// Learns from retrievals: per tool and compressor, how many lossy outputs were sent and how
/// many of them the model asked to see whole. When a tool's outputs are retrieved more often
/// than <c>Headroom:Compression:RetrievalRateThreshold</c> (default 20%), its new outputs are
/// compressed less (a larger keep budget). Outputs already sent are still replayed as they were.
/// The counts are rebuilt at start from the newest <see cref="RebuildWindow"/> events of the store, so
/// they survive restarts without reading a history that only grows.
/// </summary>
internal sealed partial class RetrievalLearning : BackgroundService
{
    private const int MinimumSample = 5;
    private const double LooseKeepFactor = 3.0;

    /// <summary>Distinct (client-supplied) tool names counted apart; the rest share one row.</summary>
    public const int ToolCapacity = 256;

    public const string OtherTools = "(other tools)";

    /// <summary>
    /// Lossy outputs remembered at once: a fixed table of packed 64-bit slots (1 MiB, no object per entry), two
    /// per bucket; a new output takes the place of an older one in its bucket, so a retrieval of a long-gone
    /// output is not counted (as before with two generations of 100,000 string keys).
    /// </summary>
    public const int OriginSlots = 1 << 17;

    private const int BucketBits = 16;
    private const int RowBits = 16;
    private const ulong RowMask = (1UL << RowBits) - 1;

    /// <summary>How many of the newest events the rates are rebuilt from at start (the recent rates are the ones that matter).</summary>
    public int RebuildWindow { get; init; } = 200_000;

    // Slot = (48-bit tag of the hash) << 16 | row index + 1; 0 is empty. The bucket is chosen by the hash's top bits.
    private readonly ulong[] _origins = new ulong[OriginSlots];
    private readonly ConcurrentDictionary<(string Tool, string Compressor), Row> _rows = new();
    private Row[] _rowsByIndex = new Row[16];
    private int _rowCount;
    private readonly Lock _adding = new();
    private readonly ConcurrentDictionary<string, byte> _tools = new(StringComparer.Ordinal);
    private readonly ProvenanceStore _store;
    private readonly double _threshold;
    private readonly ILogger<RetrievalLearning> _logger;

    public RetrievalLearning(ProvenanceStore store, IOptions<GatewayOptions> options, ILogger<RetrievalLearning> logger)
    {
        _store = store;
        _threshold = options.Value.Compression.RetrievalRateThreshold;
        _logger = logger;
    }

    public void Compressed(string? tool, string compressor, string hash)
    {
        var row = RowFor(ToolKey(tool), compressor);
        if (row.Index > (int)RowMask - 1)
        {
            Interlocked.Increment(ref row.Compressed); // counted; too many rows to remember which one a retrieval is for
            return;
        }

        var key = LiveZone.TenantOriginals.Mix(LiveZone.TenantOriginals.HashBits(hash));
        var bucket = Bucket(key);
        var tag = Tag(key);
        var packed = (tag << RowBits) | (uint)(row.Index + 1);
        while (true)
        {
            var first = Volatile.Read(ref _origins[bucket]);
            var second = Volatile.Read(ref _origins[bucket + 1]);
            if (first >> RowBits == tag || second >> RowBits == tag)
            {
                return; // this output was counted already
            }

            // An empty slot first; else the one this hash's low bit names.
            var way = first == 0 ? 0 : second == 0 ? 1 : (int)(key & 1);
            var seen = way == 0 ? first : second;
            if (Interlocked.CompareExchange(ref _origins[bucket + way], packed, seen) == seen)
            {
                Interlocked.Increment(ref row.Compressed);
                return;
            }
        }
    }

    public void Retrieved(string hash)
    {
        var key = LiveZone.TenantOriginals.Mix(LiveZone.TenantOriginals.HashBits(hash));
        var bucket = Bucket(key);
        var tag = Tag(key);
        foreach (var slot in (ReadOnlySpan<ulong>)[Volatile.Read(ref _origins[bucket]), Volatile.Read(ref _origins[bucket + 1])])
        {
            if (slot != 0 && slot >> RowBits == tag)
            {
                var rows = Volatile.Read(ref _rowsByIndex);
                var index = (int)(slot & RowMask) - 1;
                if (index < rows.Length && rows[index] is { } row)
                {
                    Interlocked.Increment(ref row.Retrieved);
                }

                return;
            }
        }
    }

    private static int Bucket(ulong key) => (int)(key >> (64 - BucketBits)) << 1;

    /// <summary>The low 48 bits of the key, never 0.</summary>
    private static ulong Tag(ulong key) => (key & ((1UL << (64 - RowBits)) - 1)) is var tag && tag != 0 ? tag : 1;

    private Row RowFor(string tool, string compressor)
    {
        if (_rows.TryGetValue((tool, compressor), out var row))
        {
            return row;
        }

        lock (_adding)
        {
            if (_rows.TryGetValue((tool, compressor), out row))
            {
                return row;
            }

            row = new Row(_rowCount);
            var rows = _rowsByIndex;
            if (_rowCount == rows.Length)
            {
                Array.Resize(ref rows, rows.Length * 2);
            }

            rows[_rowCount++] = row;
            Volatile.Write(ref _rowsByIndex, rows);
            _rows[(tool, compressor)] = row;
            return row;
        }
    }

    /// <summary>1 by default; larger for a tool whose outputs are often retrieved.</summary>
    public double KeepFactorFor(string? tool)
    {
        var name = ToolKey(tool, register: false);
        long compressed = 0, retrieved = 0;
        foreach (var (key, row) in _rows)
        {
            if (key.Tool == name)
            {
                compressed += Volatile.Read(ref row.Compressed);
                retrieved += Volatile.Read(ref row.Retrieved);
            }
        }

        return Factor(compressed, retrieved);
    }

    public IReadOnlyList<RetrievalRate> Snapshot()
    {
        // Per-tool totals in one pass (a tool's keep factor sums over its compressors).
        var counts = _rows.Select(kv => (kv.Key.Tool, kv.Key.Compressor, Compressed: Volatile.Read(ref kv.Value.Compressed), Retrieved: Volatile.Read(ref kv.Value.Retrieved)))
            .Where(c => c.Compressed > 0 || c.Retrieved > 0)
            .ToList();
        var byTool = new Dictionary<string, (long Compressed, long Retrieved)>(StringComparer.Ordinal);
        foreach (var c in counts)
        {
            var sum = byTool.GetValueOrDefault(c.Tool);
            byTool[c.Tool] = (sum.Compressed + c.Compressed, sum.Retrieved + c.Retrieved);
        }

        return counts
            .OrderBy(c => c.Tool, StringComparer.Ordinal).ThenBy(c => c.Compressor, StringComparer.Ordinal)
            .Select(c => new RetrievalRate(c.Tool, c.Compressor, c.Compressed, c.Retrieved,
                c.Compressed == 0 ? 0 : Math.Round((double)c.Retrieved / c.Compressed, 4),
                Factor(byTool[c.Tool].Compressed, byTool[c.Tool].Retrieved)))
            .ToList();
    }

    private double Factor(long compressed, long retrieved) =>
        compressed >= MinimumSample && (double)retrieved / compressed > _threshold ? LooseKeepFactor : 1.0;

    /// <summary>The row a tool name counts in: its own among the first <see cref="ToolCapacity"/> names, else the shared one.</summary>
    private string ToolKey(string? tool, bool register = true)
    {
        var name = tool ?? "(unknown)";
        if (_tools.ContainsKey(name))
        {
            return name;
        }

        if (register && _tools.Count < ToolCapacity && _tools.TryAdd(name, 0))
        {
            return name;
        }

        return _tools.ContainsKey(name) ? name : OtherTools;
    }

    /// <summary>Rebuild from the newest recorded ContextComposed (and RequestCompleted) and RetrievalServed events.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Sequences are dense enough that "count minus the window" starts near the window's first event.
            long position = Math.Max(0, await _store.Events.CountEventsAsync(stoppingToken).ConfigureAwait(false) - RebuildWindow);
            while (!stoppingToken.IsCancellationRequested)
            {
                var page = await _store.Events.ReadAllAsync(position, 5000, stoppingToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var recorded in page)
                {
                    position = recorded.Sequence;
                    switch (EventSerializer.Deserialize(recorded))
                    {
                        case ContextComposed composed:
                            foreach (var block in composed.Blocks)
                            {
                                if (block is { Hash: { } hash, Compressor: { } compressor })
                                {
                                    Compressed(block.Tool, compressor, hash);
                                }
                            }

                            break;
                        case RetrievalServed { Found: true } served:
                            Retrieved(served.Hash);
                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RebuildFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Could not rebuild retrieval rates from the store; they start from zero. Check Headroom:Store.")]
    private static partial void RebuildFailed(ILogger logger, Exception exception);

    /// <summary>One (tool, compressor) row of counts; its index is what an origin slot names.</summary>
    private sealed class Row(int index)
    {
        public long Compressed;
        public long Retrieved;

        public int Index { get; } = index;
    }
}
