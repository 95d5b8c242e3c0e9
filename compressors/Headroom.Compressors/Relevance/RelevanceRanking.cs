namespace Headroom.Compressors.Relevance;

/// <summary>One score per candidate (higher = more relevant, 0 = not at all), who decided them, and why
/// the configured ranker did not when it fell back.</summary>
internal sealed record RelevanceRanking(double[] Scores, string Ranker, string? Fallback)
{
    /// <summary>Up to <paramref name="count"/> candidates with a positive score, best first, ties to the earlier one.</summary>
    public List<int> Top(int count)
    {
        var order = new List<int>(Scores.Length);
        for (var i = 0; i < Scores.Length; i++)
        {
            if (Scores[i] > 0)
            {
                order.Add(i);
            }
        }

        order.Sort((a, b) => Scores[b] != Scores[a] ? Scores[b].CompareTo(Scores[a]) : a.CompareTo(b));
        if (order.Count > count)
        {
            order.RemoveRange(count, order.Count - count);
        }

        return order;
    }
}
