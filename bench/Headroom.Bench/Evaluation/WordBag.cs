using System.Globalization;

namespace Headroom.Bench.Evaluation;

/// <summary>Bag of lower-cased words (CJK characters count one each) for token precision/recall/F1.</summary>
internal static class WordBag
{
    public static Dictionary<string, int> Of(string text)
    {
        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (!char.IsLetterOrDigit(c))
            {
                i++;
                continue;
            }

            if (IsCjk(c))
            {
                Add(bag, c.ToString());
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]) && !IsCjk(text[i]))
            {
                i++;
            }

            Add(bag, text[start..i].ToLower(CultureInfo.InvariantCulture));
        }

        return bag;
    }

    public static (double Precision, double Recall, double F1) Score(Dictionary<string, int> output, Dictionary<string, int> expected)
    {
        long overlap = 0;
        long outTotal = output.Values.Sum();
        long expTotal = expected.Values.Sum();
        foreach (var (word, n) in output)
        {
            if (expected.TryGetValue(word, out int m))
            {
                overlap += Math.Min(n, m);
            }
        }

        double p = outTotal == 0 ? 0 : overlap / (double)outTotal;
        double r = expTotal == 0 ? 1 : overlap / (double)expTotal;
        double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return (p, r, f);
    }

    private static bool IsCjk(char c) => c >= '\u2E80' && (c <= '\u9FFF' || (c >= '\uAC00' && c <= '\uD7AF') || (c >= '\uF900' && c <= '\uFAFF'));

    private static void Add(Dictionary<string, int> bag, string word) =>
        bag[word] = bag.TryGetValue(word, out int n) ? n + 1 : 1;
}
