using System.Diagnostics;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Microsoft.ML.OnnxRuntime;

namespace Headroom.Compressors.Models.MiniLm;

/// <summary>
/// Prose relevance with MiniLM on top of BM25: 1. BM25 scores every sentence; 2. its best
/// <see cref="ModelScorerOptions.Candidates"/> and the question are embedded in one batched run under
/// the <see cref="ModelGate"/>; 3. candidates are re-ordered by cosine similarity (Rerank) or get it
/// added to their BM25 score (Hybrid). Without a question, over budget or busy, BM25's scores stand
/// and the fallback is named. Similarities are rounded to 1e-4 so float noise cannot flip an order.
/// </summary>
internal sealed class MiniLmReranker : ISentenceScorer, IDisposable
{
    private readonly MiniLmEncoder _encoder;
    private readonly ModelScorerOptions _options;
    private readonly ModelGate _gate;
    private readonly Bm25SentenceScorer _bm25;

    public MiniLmReranker(MiniLmEncoder encoder, ModelScorerOptions options, Bm25SentenceScorer? bm25 = null)
    {
        _encoder = encoder;
        _options = options;
        _bm25 = bm25 ?? new Bm25SentenceScorer();
        _gate = new ModelGate(options);
        Calibrate();
    }

    public string Name => _options.Mode == RerankMode.Rerank ? "minilm-rerank" : "minilm";

    public double MsPerToken => _gate.MsPerToken;

    /// <summary>JSON items and grep hits ranked with this encoder, options and gate (one budget and one concurrency cap for both).</summary>
    public MiniLmRelevanceRanker RelevanceRanker(ModelScorerOptions? options = null) => new(_encoder, options ?? _options, _gate);

    public double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query) =>
        Score(text, sentences, query, CompressionRequest.Empty).Scores;

    public SentenceScores Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query, CompressionRequest request)
    {
        // 1. BM25 over everything.
        double[] scores = _bm25.Score(text, sentences, query);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return new SentenceScores(scores, _bm25.Name, "no question to rank against");
        }

        // 2. Candidates: BM25's best, ties to the earlier sentence.
        int k = Math.Min(_options.Candidates, sentences.Count);
        var order = new int[sentences.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var rows = new List<int[]>(k + 1) { _encoder.Tokenize(request.Query, _options.MaxSentenceTokens) };
        for (int c = 0; c < k; c++)
        {
            var s = sentences[order[c]];
            rows.Add(_encoder.Tokenize(text[s.Start..s.End], _options.MaxSentenceTokens));
        }

        float[][]? embeddings = null;
        string? fallback = _gate.TryRun(MiniLmEncoder.PaddedTokens(rows), request.CancellationToken, run => embeddings = _encoder.Encode(rows, run));
        if (fallback is not null || embeddings is null)
        {
            return new SentenceScores(scores, _bm25.Name, fallback ?? "model returned nothing");
        }

        // 3. Combine. Rerank lifts every candidate above the rest (BM25 ranked them there) and orders them by similarity.
        for (int c = 0; c < k; c++)
        {
            double cosine = Math.Round(Dot(embeddings[0], embeddings[c + 1]), 4);
            int i = order[c];
            scores[i] = _options.Mode == RerankMode.Rerank ? 10 + cosine : scores[i] + _options.HybridWeight * cosine;
        }

        return new SentenceScores(scores, Name, null);
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }

    /// <summary>Per-token cost for the gate's estimate: the second of two runs of a 13 × 32 batch.</summary>
    private void Calibrate()
    {
        var rows = new List<int[]>();
        for (int r = 0; r < 13; r++)
        {
            rows.Add(_encoder.Tokenize(string.Concat(Enumerable.Repeat("the museum opened after the war ", 8)), 30));
        }

        using var run = new RunOptions();
        _encoder.Encode(rows, run);
        var watch = Stopwatch.StartNew();
        _encoder.Encode(rows, run);
        _gate.MsPerToken = watch.Elapsed.TotalMilliseconds / MiniLmEncoder.PaddedTokens(rows);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _encoder.Dispose();
    }
}
