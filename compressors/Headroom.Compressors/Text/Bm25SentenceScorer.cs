namespace Headroom.Compressors.Text;

/// <summary>
/// Lexical sentence scorer: BM25 of each sentence against the query's stemmed content words (IDF
/// over the sentences of this text), plus a share of the best neighbour's relevance (answers often
/// sit next to the sentence that names the topic), a lead bonus, and salience (numbers, names,
/// identifiers, paths, negations). Weights are knobs on the instance.
/// </summary>
internal sealed class Bm25SentenceScorer : ISentenceScorer
{
    public double K1 { get; init; } = 1.2;

    public double B { get; init; } = 0.75;

    public double NeighbourWeight { get; init; } = 0.3;

    public double LeadBonus { get; init; } = 0.15;

    public double ParagraphLeadBonus { get; init; } = 0.04;

    public double SalienceWeight { get; init; } = 0.03;

    public string Name => "bm25";

    public double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query)
    {
        int n = sentences.Count;
        var scores = new double[n];
        if (n == 0)
        {
            return scores;
        }

        // 1. Query stems.
        var stems = new List<string>();
        foreach (var w in query.Words)
        {
            string s = WordStemmer.Stem(w);
            if (!stems.Contains(s))
            {
                stems.Add(s);
            }
        }

        stems.Sort(StringComparer.Ordinal);
        var stemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < stems.Count; k++)
        {
            stemIndex[stems[k]] = k;
        }

        // 2. Term frequencies of query stems, sentence lengths, salience, in one pass over the words.
        var tf = new int[n * Math.Max(1, stems.Count)];
        var length = new int[n];
        var salience = new double[n];
        var lookup = stemIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> lower = stackalloc char[64];
        for (int si = 0; si < n; si++)
        {
            var sentence = sentences[si];
            int words = 0;
            int features = 0;
            bool number = false, name = false, negation = false, identifier = false;
            int i = sentence.Start;
            while (i < sentence.End)
            {
                char c = text[i];
                if (!char.IsLetterOrDigit(c))
                {
                    if ((c is '/' or '\\') && i + 1 < sentence.End && char.IsLetter(text[i + 1]))
                    {
                        identifier = true;
                    }

                    i++;
                    continue;
                }

                int ws = i;
                while (i < sentence.End && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text.AsSpan(ws, i - ws);
                words++;
                number |= char.IsDigit(word[0]);
                name |= words > 1 && char.IsUpper(word[0]);
                identifier |= QueryTerms.LooksLikeIdentifier(word);
                if (word is "not" or "no" or "never" or "without" or "cannot" or "nor" or "Not" or "No" or "Never"
                    || (i + 2 < sentence.End && text[i] == '\'' && text[i + 1] == 't' && word.EndsWith("n")))
                {
                    negation = true;
                }

                if (stems.Count > 0 && word.Length <= lower.Length)
                {
                    int len = word.ToLowerInvariant(lower);
                    if (len > 0 && lookup.TryGetValue(lower[..len], out int direct))
                    {
                        tf[si * stems.Count + direct]++;
                    }
                    else if (len > 3 && lookup.TryGetValue(WordStemmer.Stem(lower[..len]), out int stemmed))
                    {
                        tf[si * stems.Count + stemmed]++;
                    }
                }
            }

            length[si] = words;
            features = (number ? 1 : 0) + (name ? 1 : 0) + (negation ? 1 : 0) + (identifier ? 1 : 0);
            salience[si] = features * SalienceWeight;
        }

        // 3. BM25 per sentence, normalised to [0, 1].
        var bm25 = new double[n];
        if (stems.Count > 0)
        {
            double avg = Math.Max(1, length.Average());
            for (int k = 0; k < stems.Count; k++)
            {
                int df = 0;
                for (int si = 0; si < n; si++)
                {
                    if (tf[si * stems.Count + k] > 0)
                    {
                        df++;
                    }
                }

                if (df == 0)
                {
                    continue;
                }

                double idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));
                for (int si = 0; si < n; si++)
                {
                    int f = tf[si * stems.Count + k];
                    if (f > 0)
                    {
                        bm25[si] += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length[si] / avg));
                    }
                }
            }

            double max = bm25.Max();
            if (max > 0)
            {
                for (int si = 0; si < n; si++)
                {
                    bm25[si] /= max;
                }
            }
        }

        // 4. Combine.
        for (int si = 0; si < n; si++)
        {
            double neighbour = 0;
            if (si > 0 && sentences[si - 1].Paragraph == sentences[si].Paragraph)
            {
                neighbour = bm25[si - 1];
            }

            if (si + 1 < n && sentences[si + 1].Paragraph == sentences[si].Paragraph)
            {
                neighbour = Math.Max(neighbour, bm25[si + 1]);
            }

            double position = si == 0 ? LeadBonus : sentences[si].IndexInParagraph == 0 ? ParagraphLeadBonus : 0;
            scores[si] = bm25[si] + NeighbourWeight * neighbour + position + salience[si];
        }

        return scores;
    }
}
