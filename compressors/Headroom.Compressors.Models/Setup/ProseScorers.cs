using System.Diagnostics;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.MiniLm;
using Headroom.Compressors.Models.TokenClassification;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Search;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Models.Setup;

/// <summary>
/// Picks the prose scorer from its configured name (<c>Headroom:Compression:Text:Scorer</c>):
/// <c>bm25</c> (default), <c>minilm</c> (MiniLM added to BM25 over its best candidates),
/// <c>minilm-rerank</c> (candidates ordered by MiniLM alone) or <c>model:PATH</c> (a token-classifier
/// folder). A model that cannot load leaves BM25 in place and says why (fail open). With MiniLM the same
/// encoder and gate also rank JSON array items, grep hits and cut log lines by the query (<see cref="MiniLmRelevanceRanker"/>).
/// </summary>
public sealed class ProseScorers : IDisposable
{
    private readonly IDisposable? _model;
    private readonly ICompressor _text;

    private readonly IRelevanceRanker? _ranker;

    private ProseScorers(ICompressor text, IDisposable? model, ProseScorerStatus status, IRelevanceRanker? ranker = null)
    {
        _ranker = ranker;
        _text = text;
        _model = model;
        Status = status;
    }

    public ProseScorerStatus Status { get; }

    /// <summary>The compressor for <see cref="ContentType.Text"/>.</summary>
    public ICompressor TextCompressor => _text;

    /// <summary>Names accepted by <see cref="Load"/> besides <c>model:PATH</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bm25", "minilm", "minilm-rerank"];

    /// <summary>True when <paramref name="name"/> is a scorer <see cref="Load"/> understands.</summary>
    public static bool IsKnown(string? name) =>
        string.IsNullOrWhiteSpace(name) || Names.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase)
        || (name.StartsWith("model:", StringComparison.OrdinalIgnoreCase) && name.Length > "model:".Length);

    public static ProseScorers Load(string? scorer, ModelScorerOptions? options = null)
    {
        options ??= ModelScorerOptions.Default;
        string requested = string.IsNullOrWhiteSpace(scorer) ? "bm25" : scorer.Trim();
        var watch = Stopwatch.StartNew();
        try
        {
            switch (requested.ToLowerInvariant())
            {
                case "bm25":
                    return new ProseScorers(new ProseCompressor(), null, new ProseScorerStatus(requested, "bm25", false, null, 0, 0));
                case "minilm":
                case "minilm-rerank":
                {
                    var encoder = MiniLmEncoder.Load(options.IntraOpThreads);
                    var reranker = new MiniLmReranker(encoder, requested.Equals("minilm", StringComparison.OrdinalIgnoreCase) ? options : options with { Mode = RerankMode.Rerank });
                    return new ProseScorers(new ProseCompressor(scorer: reranker), reranker, new ProseScorerStatus(requested, reranker.Name, true, null, watch.Elapsed.TotalMilliseconds, reranker.MsPerToken), reranker.RelevanceRanker());
                }

                default:
                    if (!requested.StartsWith("model:", StringComparison.OrdinalIgnoreCase))
                    {
                        return Bm25($"unknown scorer '{requested}'; use bm25, minilm, minilm-rerank or model:PATH");
                    }

                    var model = TokenClassifier.Load(requested["model:".Length..], options.IntraOpThreads);
                    var compressor = new TokenClassifierCompressor(model, options);
                    return new ProseScorers(compressor, compressor, new ProseScorerStatus(requested, compressor.Scorer, true, null, watch.Elapsed.TotalMilliseconds, compressor.MsPerToken));
            }
        }
#pragma warning disable CA1031 // Fail open: a model that cannot load leaves BM25 in place.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Bm25($"{requested} did not load ({ex.GetType().Name}: {ex.Message}); BM25 is in use");
        }

        ProseScorers Bm25(string error) =>
            new(new ProseCompressor(scorer: new UnavailableModelScorer(requested)), null, new ProseScorerStatus(requested, "bm25", false, error, watch.Elapsed.TotalMilliseconds, 0));
    }

    /// <summary>The default registry with this text compressor in place of the BM25 one and, with MiniLM,
    /// JSON items, grep hits and cut log lines ranked by it too (same gate; BM25 when it falls back).</summary>
    public CompressorRegistry CreateRegistry()
    {
        var registry = CompressorRegistry.CreateDefault().Add(ContentType.Text, _text);
        return _ranker is null
            ? registry
            : registry.Add(ContentType.Json, new JsonCompressor(_ranker)).Add(ContentType.Search, new SearchCompressor(_ranker)).Add(ContentType.Log, new LogCompressor(ranker: _ranker));
    }

    public void Dispose() => _model?.Dispose();
}
