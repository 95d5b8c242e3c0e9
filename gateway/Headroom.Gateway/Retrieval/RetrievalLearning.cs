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
/// The counts are rebuilt from the event store at start, so they survive restarts.
/// </summary>
internal sealed partial class RetrievalLearning : BackgroundService
{
    private const int MinimumSample = 5;
    private const double LooseKeepFactor = 3.0;

    private readonly ConcurrentDictionary<string, (string Tool, string Compressor)> _origins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tool, string Compressor), Counts> _counts = new();
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
        var key = (tool ?? "(unknown)", compressor);
        if (_origins.TryAdd(hash, key))
        {
            _counts.AddOrUpdate(key, _ => new Counts(1, 0), (_, c) => c with { Compressed = c.Compressed + 1 });
        }
    }

    public void Retrieved(string hash)
    {
        if (_origins.TryGetValue(hash, out var key))
        {
            _counts.AddOrUpdate(key, _ => new Counts(0, 1), (_, c) => c with { Retrieved = c.Retrieved + 1 });
        }
    }

    /// <summary>1 by default; larger for a tool whose outputs are often retrieved.</summary>
    public double KeepFactorFor(string? tool)
    {
        long compressed = 0, retrieved = 0;
        foreach (var (key, counts) in _counts)
        {
            if (key.Tool == (tool ?? "(unknown)"))
            {
                compressed += counts.Compressed;
                retrieved += counts.Retrieved;
            }
        }

        return compressed >= MinimumSample && (double)retrieved / compressed > _threshold ? LooseKeepFactor : 1.0;
    }

    public IReadOnlyList<RetrievalRate> Snapshot() => _counts
        .OrderBy(kv => kv.Key.Tool, StringComparer.Ordinal).ThenBy(kv => kv.Key.Compressor, StringComparer.Ordinal)
        .Select(kv => new RetrievalRate(kv.Key.Tool, kv.Key.Compressor, kv.Value.Compressed, kv.Value.Retrieved,
            kv.Value.Compressed == 0 ? 0 : Math.Round((double)kv.Value.Retrieved / kv.Value.Compressed, 4),
            KeepFactorFor(kv.Key.Tool)))
        .ToList();

    /// <summary>Rebuild from recorded ContextComposed and RetrievalServed events.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            long position = 0;
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
