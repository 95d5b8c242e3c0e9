using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Text;

/// <summary>
/// Scores how much each sentence should stay, given the query. The default is lexical
/// (<see cref="Bm25SentenceScorer"/>); a learned model (a MiniLM re-ranker, an LLMLingua-style
/// classifier in Headroom.Compressors.Models) can replace it without touching segmentation,
/// budgeting or output. Must be deterministic.
/// </summary>
internal interface ISentenceScorer
{
    /// <summary>Recorded as the result's scorer ("bm25", "minilm", ...).</summary>
    string Name => "custom";

    /// <summary>One score per sentence, higher = keep first. Scores are compared only within one call.</summary>
    double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query);

    /// <summary>
    /// Scores plus the scorer that decided them. A scorer that can fall back (a model over its time
    /// budget, busy or not loaded) overrides this and names the fallback, so the decision can be recorded
    /// and replayed. Honours <see cref="CompressionRequest.CancellationToken"/>.
    /// </summary>
    SentenceScores Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query, CompressionRequest request) =>
        new(Score(text, sentences, query), Name, null);
}
