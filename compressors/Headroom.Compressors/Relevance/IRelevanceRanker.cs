using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Relevance;

/// <summary>
/// Orders short candidate texts (the ordinary items of a JSON array, the hits of a grep output) by how
/// well each answers the query. The default is lexical (<see cref="Bm25RelevanceRanker"/>); a learned
/// ranker (MiniLM in Headroom.Compressors.Models) can replace it without this library depending on a
/// model runtime. Must be deterministic: the same query and candidates give the same scores, and a
/// ranker that falls back (over its time budget, busy, not loaded) returns BM25's scores and names why.
/// Honours <see cref="CompressionRequest.CancellationToken"/>.
/// </summary>
internal interface IRelevanceRanker
{
    /// <summary>Recorded as the result's scorer ("bm25", "minilm", ...).</summary>
    string Name { get; }

    RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request);
}
