using System.Globalization;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Search;

/// <summary>
/// grep / rg / git grep output. Hits are grouped by file; hits are ranked by relevance to the query
/// (<see cref="IRelevanceRanker"/>: BM25 over the hit texts by default) and files by their best hit
/// (plus one when a query word is in the path), ties in original order. Each kept file keeps its first
/// and last match plus its most relevant ones up to a per-file cap; over-long lines keep the part
/// around the match. Files past the file cap are listed by name with their hit counts, so every
/// file that matched is still named. One marker at the end counts the omitted lines.
/// </summary>
internal sealed class SearchCompressor(IRelevanceRanker? ranker = null) : ICompressor
{
    private const int LongLine = 220;
    private readonly IRelevanceRanker _ranker = ranker ?? Bm25RelevanceRanker.Instance;

    public string Name => "search";

    public int Version => 2;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var perFile = Math.Max(2, (int)Math.Round(4 * request.KeepFactor));
        var maxFiles = Math.Max(5, (int)Math.Round(25 * request.KeepFactor));
        var words = QueryWords(request.Query);

        // 1. Parse lines into hits grouped by file (first-appearance order).
        var lines = LogLines.Split(input);
        var files = new List<(string Path, List<SearchHit> Hits)>();
        var byPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var others = new List<SearchHit>();
        string? heading = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var (start, end, next) = lines[i];
            var text = input.AsSpan(start, end - start);
            SearchHit hit;
            var m = LinePatterns.SearchHit().Match(input, start, end - start);
            if (m.Success)
            {
                var isMatch = m.Groups["line"].Success;
                hit = new SearchHit(i, start, end, next, m.Groups["path"].Value, isMatch, m.Index + m.Length);
            }
            else if (heading is not null && text.Length > 0 && char.IsAsciiDigit(text[0]) && (text.IndexOfAnyExcept("0123456789") is var k and > 0) && text[k] is ':' or '-')
            {
                hit = new SearchHit(i, start, end, next, heading, text[k] == ':', start + k + 1); // rg --heading
            }
            else
            {
                if (!text.IsWhiteSpace() && !text.SequenceEqual("--") && text.IndexOfAny(' ', '\t') < 0)
                {
                    heading = text.ToString(); // a bare path line starts an rg --heading group
                }

                others.Add(new SearchHit(i, start, end, next, null, false, start));
                continue;
            }

            if (!byPath.TryGetValue(hit.Path!, out var f))
            {
                f = files.Count;
                byPath[hit.Path!] = f;
                files.Add((hit.Path!, []));
            }

            files[f].Hits.Add(hit);
        }

        // 2. Rank hits by relevance to the query (the ranker: BM25 unless a model is configured), files by their best hit.
        var scoreOf = new Dictionary<int, double>();
        // A query every hit holds whole (the grep pattern itself) ranks nothing: hits stay in their order.
        RelevanceRanking? ranking = null;
        var matchHits = files.SelectMany(f => f.Hits).Where(h => h.IsMatch).ToList();
        if (words.Length > 0 && !matchHits.All(h => words.All(w => input.AsSpan(h.TextStart, h.End - h.TextStart).Contains(w, StringComparison.OrdinalIgnoreCase))))
        {
            ranking = _ranker.Rank(request.Query!, matchHits.Select(h => input.Substring(h.TextStart, Math.Min(h.End - h.TextStart, 2000))).ToList(), request);
            for (var m = 0; m < matchHits.Count; m++)
            {
                scoreOf[matchHits[m].Index] = ranking.Scores[m];
            }
        }

        double Score(SearchHit h) => scoreOf.GetValueOrDefault(h.Index);
        var ranked = files
            .Select((f, order) => (f.Path, f.Hits, order, score: f.Hits.Where(h => h.IsMatch).Select(Score).DefaultIfEmpty(0).Max()
                + (words.Any(w => f.Path.Contains(w, StringComparison.OrdinalIgnoreCase)) ? 1 : 0)))
            .OrderByDescending(f => f.score).ThenBy(f => f.order)
            .ToList();

        // 3. Write kept files: first, last and best matches (with their context lines).
        var builder = new SpanBuilder(input, input.Length / 4);
        var kept = 0;
        foreach (var other in others.Where(o => !input.AsSpan(o.Start, o.End - o.Start).IsWhiteSpace() && !input.AsSpan(o.Start, o.End - o.Start).SequenceEqual("--")).Take(10))
        {
            Line(builder, input, other, words);
            kept++;
        }

        var droppedFiles = new List<(string Path, int Hits)>();
        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal); // masked hit text → "path:line" that showed it
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            var (path, hits, _, _) = ranked[rank];
            if (rank >= maxFiles)
            {
                droppedFiles.Add((path, hits.Count(h => h.IsMatch)));
                continue;
            }

            var matches = hits.Where(h => h.IsMatch).ToList();
            var chosen = new SortedSet<int>();
            if (matches.Count > 0)
            {
                chosen.Add(matches[0].Index);
                chosen.Add(matches[^1].Index);
                foreach (var h in matches.Select((h, order) => (h, order)).OrderByDescending(x => Score(x.h)).ThenBy(x => x.order).Take(perFile))
                {
                    if (chosen.Count >= perFile)
                    {
                        break;
                    }

                    chosen.Add(h.h.Index);
                }
            }

            var shown = 0;
            foreach (var h in hits)
            {
                // Context lines stay only next to a kept match.
                var keep = chosen.Contains(h.Index) || (!h.IsMatch && (chosen.Contains(h.Index - 1) || chosen.Contains(h.Index + 1)));
                if (keep)
                {
                    var reference = input.AsSpan(h.Start, h.TextStart - h.Start).TrimEnd(':').ToString();
                    var body = h.End - h.TextStart >= 40 ? TemplateMiner.Mask(input.AsSpan(h.TextStart, h.End - h.TextStart)) : null;
                    if (body is not null && firstSeen.TryGetValue(body, out var same))
                    {
                        // The same text (modulo numbers) was shown for another hit: point at it.
                        builder.Kept(h.Start, h.TextStart).Summary($"(same as {same}, modulo numbers)\n", h.Start, h.End);
                    }
                    else
                    {
                        if (body is not null)
                        {
                            firstSeen[body] = reference;
                        }

                        Line(builder, input, h, words);
                    }

                    kept++;
                    shown += h.IsMatch ? 1 : 0;
                }
            }

            if (matches.Count > shown)
            {
                builder.Summary(string.Create(CultureInfo.InvariantCulture, $"{path}: … {matches.Count - shown:N0} more matches\n"), hits[0].Start, hits[^1].Next);
            }
        }

        if (droppedFiles.Count > 0)
        {
            var list = string.Join(", ", droppedFiles.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Path} ({d.Hits})")));
            builder.Summary(string.Create(CultureInfo.InvariantCulture, $"also matched in {droppedFiles.Count:N0} more files: {list}\n"));
        }

        var omitted = lines.Count - kept;
        if (omitted <= 0 && builder.Length >= input.Length)
        {
            return builder.Build(lossy: false) with { Scorer = ranking?.Ranker, ScorerFallback = ranking?.Fallback };
        }

        var hash = request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(input);
        var detail = string.Create(CultureInfo.InvariantCulture, $"{files.Sum(f => f.Hits.Count(h => h.IsMatch)):N0} matches in {files.Count:N0} files; showing up to {perFile} per file");
        builder.Marker(MarkerFormat.Format(Math.Max(0, omitted), lines.Count, MarkerUnit.Lines, detail, hash), 0, input.Length);
        return builder.Build(lossy: true) with { Scorer = ranking?.Ranker, ScorerFallback = ranking?.Fallback };
    }

    private static string[] QueryWords(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? []
            : [.. query.Split([' ', '\t', '\n', ',', ';', '"', '\''], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 2).Distinct(StringComparer.OrdinalIgnoreCase)];

    // A line verbatim; an over-long one keeps its prefix and the window around the first query word.
    private static void Line(SpanBuilder builder, string input, SearchHit h, string[] words)
    {
        if (h.End - h.Start <= LongLine)
        {
            builder.Kept(h.Start, h.Next);
            if (h.Next == h.End)
            {
                builder.Summary("\n");
            }

            return;
        }

        var headEnd = Math.Min(h.End, h.TextStart + 120);
        builder.Kept(h.Start, headEnd);
        var at = -1;
        foreach (var w in words)
        {
            var i = input.AsSpan(headEnd, h.End - headEnd).IndexOf(w, StringComparison.OrdinalIgnoreCase);
            if (i >= 0 && (at < 0 || headEnd + i < at))
            {
                at = headEnd + i;
            }
        }

        if (at >= 0)
        {
            var from = Math.Max(headEnd, at - 60);
            var to = Math.Min(h.End, at + 100);
            builder.Summary(from > headEnd ? " … " : "", h.Start, h.End);
            builder.Kept(from, to);
            builder.Summary(to < h.End ? " …\n" : "\n", h.Start, h.End);
        }
        else
        {
            builder.Summary(" …\n", h.Start, h.End);
        }
    }
}
