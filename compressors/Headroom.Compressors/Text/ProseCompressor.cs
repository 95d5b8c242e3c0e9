using System.Text;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;

namespace Headroom.Compressors.Text;

/// <summary>
/// Query-aware extractive compression of prose: sentences are scored (<see cref="ISentenceScorer"/>),
/// near-duplicates dropped, and the best kept within a token budget, in their original order and
/// verbatim (Kept spans). Gaps show as "…"; one marker at the end says how much was left out.
/// </summary>
internal sealed class ProseCompressor : ICompressor
{
    private const int MarkerTokens = 60;
    private readonly ProseOptions _options;
    private readonly ISentenceScorer _scorer;

    public ProseCompressor(ProseOptions? options = null, ISentenceScorer? scorer = null)
    {
        _options = options ?? ProseOptions.Default;
        _scorer = scorer ?? new Bm25SentenceScorer();
    }

    public string Name => "text";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);

        // 1. Segment; short texts pass through.
        var sentences = SentenceSplitter.Split(input);
        if (sentences.Count < _options.MinSentences)
        {
            return Passthrough(input);
        }

        // 2. Score and budget.
        var query = QueryTerms.Parse(request.Query);
        var scored = _scorer.Score(input, sentences, query, request);
        double[] scores = scored.Scores;
        request.CancellationToken.ThrowIfCancellationRequested();
        var tokenizer = O200kTokenizer.Instance;
        var tokens = new int[sentences.Count];
        int total = 0;
        for (int i = 0; i < sentences.Count; i++)
        {
            tokens[i] = tokenizer.CountTokens(input.AsSpan(sentences[i].Start, sentences[i].End - sentences[i].Start));
            total += tokens[i] + 1;
        }

        double ratio = Math.Clamp(_options.TargetRatio * Math.Max(0, request.KeepFactor), 0, 1);
        int budget = (int)(total * ratio) - MarkerTokens;

        // 3. Best first (ties: earlier first), skipping near-duplicates of what is already kept.
        var order = new int[sentences.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var keep = new bool[sentences.Count];
        var thinned = new string?[sentences.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int used = 0;
        int kept = 0;
        foreach (int i in order)
        {
            if (_options.Thin && scores[i] < _options.ThinBelowScore)
            {
                string thin = SentenceThinner.Thin(input, sentences[i], query, _options.FrequentRank);
                if (thin.Length < sentences[i].End - sentences[i].Start)
                {
                    thinned[i] = thin;
                    tokens[i] = tokenizer.CountTokens(thin);
                }
            }

            if (used + tokens[i] > budget && kept > 0)
            {
                continue;
            }

            if (!seen.Add(Fingerprint(input, sentences[i])))
            {
                continue;
            }

            keep[i] = true;
            used += tokens[i] + 2; // plus the separator that may follow
            kept++;
        }

        if (kept == sentences.Count && !Array.Exists(thinned, t => t is not null))
        {
            return Passthrough(input) with { Scorer = scored.Scorer, ScorerFallback = scored.Fallback };
        }

        // 4. Write kept sentences in order; runs of neighbours are copied with their original spacing.
        var output = new TrackedOutput(input.Length / 4);
        int prev = -1;
        var keptLines = new HashSet<int>();
        for (int i = 0; i < sentences.Count; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            var s = sentences[i];
            if (prev >= 0)
            {
                var p = sentences[prev];
                if (prev == i - 1)
                {
                    output.Kept(input, p.End, s.Start);
                }
                else
                {
                    output.Summary(p.Paragraph == s.Paragraph ? " … " : "\n…\n");
                }
            }
            else if (i > 0)
            {
                output.Summary("…\n");
            }

            if (thinned[i] is { } thin)
            {
                output.Summary(thin, s.Start, s.End);
            }
            else
            {
                output.Kept(input, s.Start, s.End);
            }

            for (int l = s.Line; l <= s.Line + CountNewlines(input, s.Start, s.End); l++)
            {
                keptLines.Add(l);
            }

            prev = i;
        }

        int totalLines = OmissionMarker.CountLines(input);
        int omittedLines = Math.Max(0, totalLines - keptLines.Count);
        string hash = OmissionMarker.HashOf(input, request.OriginalHash);
        output.Summary("\n");
        output.Marker(
            OmissionMarker.Lines(omittedLines, totalLines, $"{sentences.Count - kept} of {sentences.Count} sentences, least relevant to the query", hash),
            0,
            input.Length);
        return output.Build(lossy: true) with { Scorer = scored.Scorer, ScorerFallback = scored.Fallback };
    }

    private static int CountNewlines(string text, int start, int end) => text.AsSpan(start, end - start).Count('\n');

    /// <summary>Letters only, lower case: sentences differing in numbers, spacing or punctuation count as duplicates.</summary>
    private static string Fingerprint(string text, Sentence s)
    {
        var sb = new StringBuilder(s.End - s.Start);
        for (int i = s.Start; i < s.End; i++)
        {
            if (char.IsLetter(text[i]))
            {
                sb.Append(char.ToLowerInvariant(text[i]));
            }
        }

        return sb.ToString();
    }

    private static CompressorOutput Passthrough(string input)
    {
        var output = new TrackedOutput(input.Length);
        output.Kept(input, 0, input.Length);
        return output.Build(lossy: false);
    }
}
