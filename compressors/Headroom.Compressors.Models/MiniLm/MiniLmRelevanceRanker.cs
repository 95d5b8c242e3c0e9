using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;

namespace Headroom.Compressors.Models.MiniLm;

/// <summary>
/// JSON items and grep hits ranked by MiniLM on top of BM25, through the same <see cref="ModelGate"/>
/// as the prose re-ranker (budget, concurrency cap, deadline): 1. BM25 scores every candidate; 2. its best
/// <see cref="ModelScorerOptions.Candidates"/> (ties to the earlier one) and the query are embedded in one
/// batched run; 3. those candidates are ordered by cosine similarity above the rest (Rerank) or get it
/// added to BM25's normalised score (Hybrid). Over budget, busy or stopped at the deadline, BM25's scores
/// stand and the fallback is named, so a timed-out decision is BM25's, byte for byte. Similarities are
/// rounded to 1e-4 so float noise cannot flip an order.
/// </summary>
internal sealed class MiniLmRelevanceRanker(MiniLmEncoder encoder, ModelScorerOptions options, ModelGate gate) : IRelevanceRanker
{
    private readonly Bm25RelevanceRanker _bm25 = Bm25RelevanceRanker.Instance;

    public string Name => options.Mode == RerankMode.Rerank ? "minilm-rerank" : "minilm";

    public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request)
    {
        // 1. BM25 over every candidate.
        var scores = _bm25.Score(query, candidates, request.CancellationToken);
        if (string.IsNullOrWhiteSpace(query) || candidates.Count == 0)
        {
            return new RelevanceRanking(scores, _bm25.Name, "no question to rank against");
        }

        // 2. BM25's best candidates, ties to the earlier one (a zero-score candidate can be among them: MiniLM may see what words did not).
        var k = Math.Min(options.Candidates, candidates.Count);
        var order = new int[candidates.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var rows = new List<int[]>(k + 1) { encoder.Tokenize(query, options.MaxSentenceTokens) };
        for (var c = 0; c < k; c++)
        {
            rows.Add(encoder.Tokenize(candidates[order[c]], options.MaxSentenceTokens));
        }

        float[][]? embeddings = null;
        var fallback = gate.TryRun(MiniLmEncoder.PaddedTokens(rows), request.CancellationToken, run => embeddings = encoder.Encode(rows, run));
        if (fallback is not null || embeddings is null)
        {
            return new RelevanceRanking(scores, _bm25.Name, fallback ?? "model returned nothing");
        }

        // 3. Combine. Rerank lifts every candidate above the rest and orders them by similarity alone.
        for (var c = 0; c < k; c++)
        {
            double cosine = 0;
            for (var d = 0; d < embeddings[0].Length; d++)
            {
                cosine += embeddings[0][d] * embeddings[c + 1][d];
            }

            cosine = Math.Round(cosine, 4);
            var i = order[c];
            scores[i] = options.Mode == RerankMode.Rerank ? 10 + cosine : scores[i] + (options.HybridWeight * Math.Max(0, cosine));
        }

        return new RelevanceRanking(scores, Name, null);
    }
}
