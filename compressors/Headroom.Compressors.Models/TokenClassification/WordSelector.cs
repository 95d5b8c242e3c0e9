namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>
/// Which words stay: every forced word, then by threshold (probability ≥ it) or by ratio (the best
/// ⌈ratio × words⌉ minus the forced ones, ties to the earlier word). Pure and deterministic.
/// </summary>
internal static class WordSelector
{
    public static bool[] Select(IReadOnlyList<Word> words, double[] probabilities, double ratio, double? threshold)
    {
        var keep = new bool[words.Count];
        int forced = 0;
        for (int w = 0; w < words.Count; w++)
        {
            if (words[w].Forced)
            {
                keep[w] = true;
                forced++;
            }
        }

        if (threshold is { } t)
        {
            for (int w = 0; w < words.Count; w++)
            {
                keep[w] |= probabilities[w] >= t;
            }

            return keep;
        }

        int wanted = (int)Math.Ceiling(Math.Clamp(ratio, 0, 1) * words.Count) - forced;
        if (wanted <= 0)
        {
            return keep;
        }

        var order = new List<int>(words.Count - forced);
        for (int w = 0; w < words.Count; w++)
        {
            if (!keep[w])
            {
                order.Add(w);
            }
        }

        order.Sort((a, b) => probabilities[b] != probabilities[a] ? probabilities[b].CompareTo(probabilities[a]) : a.CompareTo(b));
        for (int k = 0; k < Math.Min(wanted, order.Count); k++)
        {
            keep[order[k]] = true;
        }

        return keep;
    }
}
