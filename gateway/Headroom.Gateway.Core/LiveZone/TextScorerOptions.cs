namespace Headroom.Gateway.LiveZone;

/// <summary>
/// The <c>Headroom:Compression:Text</c> section. <see cref="Scorer"/>: <c>bm25</c> (default),
/// <c>minilm</c> (the shipped MiniLM encoder added to BM25's best candidates), <c>minilm-rerank</c>,
/// <c>model</c> (the token classifier in <see cref="Model"/>) or <c>model:PATH</c>. A model that does not
/// load, or does not fit <see cref="ModelBudgetMs"/>, leaves BM25 deciding (README "Models").
/// </summary>
public sealed record TextScorerOptions
{
    public string Scorer { get; init; } = "bm25";

    /// <summary>Folder of a token-classification model (model.onnx + tokenizer.json), for <c>Scorer = model</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Time the model may take per output, inside the compressor's own budget.</summary>
    public int ModelBudgetMs { get; init; } = 35;

    /// <summary>Model calls at once; more fall back to BM25 at once.</summary>
    public int ModelConcurrency { get; init; } = 1;

    /// <summary>MiniLM re-scores this many of BM25's best sentences (more finds paraphrased answers, and costs more).</summary>
    public int Candidates { get; init; } = 12;

    /// <summary>The scorer name <see cref="Headroom.Compressors.Models.Setup.ProseScorers.Load"/> takes.</summary>
    public string Resolved => Scorer.Trim().Equals("model", StringComparison.OrdinalIgnoreCase) ? "model:" + (Model ?? "") : Scorer;

    public Headroom.Compressors.Models.Budget.ModelScorerOptions ToModelOptions() => Headroom.Compressors.Models.Budget.ModelScorerOptions.Default with
    {
        Budget = TimeSpan.FromMilliseconds(ModelBudgetMs),
        MaxConcurrency = ModelConcurrency,
        Candidates = Candidates,
    };
}
