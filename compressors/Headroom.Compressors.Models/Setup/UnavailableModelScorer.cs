using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Models.Setup;

/// <summary>BM25 standing in for a model that did not load: every result names the fallback.</summary>
internal sealed class UnavailableModelScorer(string requested) : ISentenceScorer
{
    private readonly Bm25SentenceScorer _bm25 = new();

    public string Name => _bm25.Name;

    public double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query) => _bm25.Score(text, sentences, query);

    public SentenceScores Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query, CompressionRequest request) =>
        new(_bm25.Score(text, sentences, query), _bm25.Name, requested + " not loaded");
}
