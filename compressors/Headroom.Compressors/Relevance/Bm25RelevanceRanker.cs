using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Relevance;

/// <summary>
/// BM25 of each candidate against the query's stemmed content words (<see cref="QueryTerms"/>), IDF
/// over the candidates of this call, normalised so the best candidate scores 1 and rounded to 1e-6 (no
/// float noise in an order). Words are runs of letters and digits, split at camelCase and underscores.
/// </summary>
internal sealed class Bm25RelevanceRanker : IRelevanceRanker
{
    public static Bm25RelevanceRanker Instance { get; } = new();

    public double K1 { get; init; } = 1.2;

    public double B { get; init; } = 0.75;

    public string Name => "bm25";

    public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request) =>
        new(Score(query, candidates, request.CancellationToken), Name, null);

    public double[] Score(string query, IReadOnlyList<string> candidates, CancellationToken cancel = default)
    {
        var n = candidates.Count;
        var scores = new double[n];
        var stems = new List<string>();
        foreach (var w in QueryTerms.Parse(query).Words)
        {
            var s = WordStemmer.Stem(w);
            if (!stems.Contains(s))
            {
                stems.Add(s);
            }
        }

        if (n == 0 || stems.Count == 0)
        {
            return scores;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < stems.Count; k++)
        {
            index[stems[k]] = k;
        }

        var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        var tf = new int[n, stems.Count];
        var length = new int[n];
        Span<char> lower = stackalloc char[64];
        Span<char> stem = stackalloc char[64];
        for (var c = 0; c < n; c++)
        {
            cancel.ThrowIfCancellationRequested();
            var text = candidates[c];
            var i = 0;
            while (i < text.Length)
            {
                if (!char.IsLetterOrDigit(text[i]))
                {
                    i++;
                    continue;
                }

                // A word ends at a non-letter-or-digit or where camelCase turns (fooBar → foo, Bar).
                var start = i++;
                while (i < text.Length && char.IsLetterOrDigit(text[i]) && !(char.IsUpper(text[i]) && char.IsLower(text[i - 1])))
                {
                    i++;
                }

                length[c]++;
                var word = text.AsSpan(start, i - start);
                if (word.Length > lower.Length)
                {
                    continue;
                }

                var len = word.ToLowerInvariant(lower);
                if (lookup.TryGetValue(lower[..len], out var k) || (len > 3 && lookup.TryGetValue(WordStemmer.StemLower(lower[..len], stem), out k)))
                {
                    tf[c, k]++;
                }
            }
        }

        double average = Math.Max(1, length.Average());
        for (var k = 0; k < stems.Count; k++)
        {
            var df = 0;
            for (var c = 0; c < n; c++)
            {
                df += tf[c, k] > 0 ? 1 : 0;
            }

            if (df == 0)
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
            for (var c = 0; c < n; c++)
            {
                double f = tf[c, k];
                scores[c] += f == 0 ? 0 : idf * f * (K1 + 1) / (f + (K1 * (1 - B + (B * length[c] / average))));
            }
        }

        var best = scores.Max();
        for (var c = 0; c < n && best > 0; c++)
        {
            scores[c] = Math.Round(scores[c] / best, 6);
        }

        return scores;
    }
}
