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

    /// <summary>Lossy outputs remembered per generation (two generations: a retrieval of an older one is not counted).</summary>
    public const int OriginsPerGeneration = 100_000;

    /// <summary>How many of the newest events the rates are rebuilt from at start (the recent rates are the ones that matter).</summary>
    public int RebuildWindow { get; init; } = 2 * OriginsPerGeneration;

    private ConcurrentDictionary<string, (string Tool, string Compressor)> _origins = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, (string Tool, string Compressor)> _olderOrigins = new(StringComparer.Ordinal);
    private readonly Lock _rotate = new();
    private readonly ConcurrentDictionary<(string Tool, string Compressor), Counts> _counts = new();
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
        var key = (ToolKey(tool), compressor);
        if (!_olderOrigins.ContainsKey(hash) && _origins.TryAdd(hash, key))
        {
            _counts.AddOrUpdate(key, _ => new Counts(1, 0), (_, c) => c with { Compressed = c.Compressed + 1 });
            RotateIfFull();
        }
    }

    public void Retrieved(string hash)
    {
        if (_origins.TryGetValue(hash, out var key) || _olderOrigins.TryGetValue(hash, out key))
        {
            _counts.AddOrUpdate(key, _ => new Counts(0, 1), (_, c) => c with { Retrieved = c.Retrieved + 1 });
        }
    }

    /// <summary>1 by default; larger for a tool whose outputs are often retrieved.</summary>
    public double KeepFactorFor(string? tool)
    {
        var name = ToolKey(tool, register: false);
        long compressed = 0, retrieved = 0;
        foreach (var (key, counts) in _counts)
        {
            if (key.Tool == name)
            {
                compressed += counts.Compressed;
                retrieved += counts.Retrieved;
            }
        }

        return Factor(compressed, retrieved);
    }

    public IReadOnlyList<RetrievalRate> Snapshot()
    {
        // Per-tool totals in one pass (a tool's keep factor sums over its compressors).
        var byTool = new Dictionary<string, (long Compressed, long Retrieved)>(StringComparer.Ordinal);
        foreach (var (key, counts) in _counts)
        {
            var sum = byTool.GetValueOrDefault(key.Tool);
            byTool[key.Tool] = (sum.Compressed + counts.Compressed, sum.Retrieved + counts.Retrieved);
        }

        return _counts
            .OrderBy(kv => kv.Key.Tool, StringComparer.Ordinal).ThenBy(kv => kv.Key.Compressor, StringComparer.Ordinal)
            .Select(kv => new RetrievalRate(kv.Key.Tool, kv.Key.Compressor, kv.Value.Compressed, kv.Value.Retrieved,
                kv.Value.Compressed == 0 ? 0 : Math.Round((double)kv.Value.Retrieved / kv.Value.Compressed, 4),
                Factor(byTool[kv.Key.Tool].Compressed, byTool[kv.Key.Tool].Retrieved)))
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

    private void RotateIfFull()
    {
        if (_origins.Count < OriginsPerGeneration)
        {
            return;
        }

        lock (_rotate)
        {
            if (_origins.Count >= OriginsPerGeneration)
            {
                _olderOrigins = _origins;
                _origins = new ConcurrentDictionary<string, (string Tool, string Compressor)>(StringComparer.Ordinal);
            }
        }
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

    private sealed record Counts(long Compressed, long Retrieved);
}
