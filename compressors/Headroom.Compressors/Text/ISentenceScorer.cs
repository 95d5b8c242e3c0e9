namespace Headroom.Compressors.Text;

/// <summary>
/// Scores how much each sentence should stay, given the query. The default is lexical
/// (<see cref="Bm25SentenceScorer"/>); a learned model (e.g. an LLMLingua-style classifier) can
/// replace it without touching segmentation, budgeting or output. Must be deterministic.
/// </summary>
internal interface ISentenceScorer
{
    /// <summary>One score per sentence, higher = keep first. Scores are compared only within one call.</summary>
    double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query);
}
