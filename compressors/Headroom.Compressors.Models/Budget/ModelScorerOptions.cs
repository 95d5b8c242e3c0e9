namespace Headroom.Compressors.Models.Budget;

/// <summary>
/// Limits on a local model in the compression path. Past any of them the prose scorer falls back to
/// BM25 (fail open) and says so in the result; the gateway records that decision and replays it.
/// </summary>
public sealed record ModelScorerOptions
{
    public static ModelScorerOptions Default { get; } = new();

    /// <summary>Time the model may take for one output (the pipeline's own budget, 50 ms by default,
    /// still has to cover segmentation, BM25 and output).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMilliseconds(35);

    /// <summary>Model calls running at once; a call that finds no free slot falls back at once.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>ONNX Runtime intra-op threads per call (the gateway must not spin every core).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>MiniLM re-ranks this many of BM25's best sentences.</summary>
    public int Candidates { get; init; } = 12;

    /// <summary>Word pieces per sentence (and query) given to MiniLM; the rest is cut.</summary>
    public int MaxSentenceTokens { get; init; } = 40;

    /// <summary>How MiniLM's similarity is used: <see cref="RerankMode.Rerank"/> orders the candidates by it,
    /// <see cref="RerankMode.Hybrid"/> adds it to the BM25 score.</summary>
    public RerankMode Mode { get; init; } = RerankMode.Hybrid;

    /// <summary>Weight of the cosine similarity in <see cref="RerankMode.Hybrid"/>.</summary>
    public double HybridWeight { get; init; } = 1.0;

    /// <summary>Token classifier: share of words to keep (0.5 = half), unless <see cref="KeepThreshold"/> is set.</summary>
    public double KeepRatio { get; init; } = 0.5;

    /// <summary>Token classifier: keep words whose keep probability is at least this, instead of a ratio.</summary>
    public double? KeepThreshold { get; init; }
}

/// <summary>How a relevance model's score replaces or joins BM25's.</summary>
public enum RerankMode
{
    Rerank,
    Hybrid,
}
