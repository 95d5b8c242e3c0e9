using System.Buffers;
using System.Globalization;
using System.Text;
using Headroom.Compressors.Budget;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Logs;

/// <summary>
/// Logs and build output. Keeps, verbatim and in order: the first line, the last one (unless it is one more
/// ordinary repeat of a template, which the template's note stands for), summary lines,
/// failure blocks of test runners whole (capped), stack traces after kept errors (capped), and per
/// mined template either every line or, when the template repeats enough, its first line with a
/// note of how many lines it stands for, the last one's timestamp and every distinct identifier of
/// its variable fields (each value once per output; per-line request ids counted, not listed; ephemeral
/// client ports dropped from addresses). Error and warning lines mine apart from the rest and collapse only when
/// their template repeats more than <see cref="AlertCollapseAbove"/> times, so a rare error is
/// always there verbatim. Templates of different token counts whose literal tokens agree in order form one family
/// (<see cref="TemplateMiner.Families"/>), kept as one line and note. Passing-test lines are dropped. With a query, the template
/// lines that selection cut are ranked against it (<see cref="IRelevanceRanker"/>: BM25 unless a model is configured) and the best
/// <paramref name="rankedLines"/> with a positive score stay too, verbatim in their place. One marker at the end says how many
/// lines were left out, which template dominated and how many lines the query kept.
/// </summary>
internal sealed class LogCompressor(
    double similarity = TemplateMiner.DefaultSimilarity,
    double alertSimilarity = TemplateMiner.DefaultAlertSimilarity,
    double familySimilarity = TemplateMiner.DefaultFamilySimilarity,
    IRelevanceRanker? ranker = null,
    int rankedLines = LogCompressor.DefaultRankedLines) : ICompressor
{
    /// <summary>An error or warning template collapses only past this many lines.</summary>
    public const int AlertCollapseAbove = 5;

    /// <summary>Cut lines kept for the query (scaled by <see cref="CompressionRequest.KeepFactor"/>); 0 turns ranking off.</summary>
    public const int DefaultRankedLines = 3;

    private const int Edge = 1;
    // Neighbours of a kept error are not kept: on real system logs (loghub) they cost 2-9 points of
    // saving for lines the model can retrieve; stack frames after an error still are.
    private const int Context = 0;
    private const int MaxStackFrames = 20;
    private const int MaxFailureBlock = 60;
    private const int MaxClassifiedChars = 512;
    private const int MaxListedValues = 4000;

    // A ranked line is judged by its head: a megabyte-long line must not cost a megabyte of scoring.
    private const int MaxRankedChars = 512;

    // What ranking must leave for writing the output, and what finding its candidates costs, as shares of what the
    // compressor has spent before it (see Affordable); and the least it is worth starting with.
    private const double WritingShare = 1.0;
    private const double SearchShare = 0.25;
    private static readonly TimeSpan MinRankingTime = TimeSpan.FromMilliseconds(1);

    private readonly IRelevanceRanker _ranker = ranker ?? Bm25RelevanceRanker.Instance;

    public string Name => "log";

    public int Version => 3;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var cancel = request.CancellationToken;
        var started = request.Budget?.Cpu ?? TimeSpan.Zero;

        // 1. Lines and their kinds; templates for ordinary, warning and error lines.
        var lines = LogLines.Split(input);
        var n = lines.Count;
        var kinds = new LogLineKind[n];
        var tokens = new LineTokens[n];
        var templateOf = new LogTemplate?[n];
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if ((i & 255) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }

            var text = lines.Text(input, i);
            kinds[i] = Classify(text);
            if (kinds[i] is LogLineKind.Normal or LogLineKind.Warning or LogLineKind.Error && !text.IsWhiteSpace())
            {
                tokens[i] = LineTokens.Of(input, lines[i].Start, lines[i].End, pool);
            }
        }

        var miner = new TemplateMiner(similarity, TemplateMiner.HeaderLength([.. tokens.Where(t => t.Masked is not null).Select(t => t.Masked)]), alertSimilarity, familySimilarity);
        for (var i = 0; i < n; i++)
        {
            if (tokens[i].Masked is { } masked)
            {
                templateOf[i] = miner.Add(masked, i, kinds[i] is LogLineKind.Error or LogLineKind.Warning);
            }
        }

        // Templates of different token counts whose literal tokens agree in order form one family.
        var families = miner.Families();
        var familyLines = new Dictionary<LogTemplate, int>();
        foreach (var family in families)
        {
            var count = family.Sum(t => t.Count);
            foreach (var t in family)
            {
                familyLines[t] = count;
            }
        }

        var keep = new bool[n];

        // 2. Edges and summaries.
        for (var i = 0; i < n; i++)
        {
            // The last line is kept for itself unless it is one more of a repeated ordinary template: the
            // template's note (its count, last timestamp and values) stands for it. A last error or warning stays.
            if (i < Edge || (i >= n - Edge && (templateOf[i] is not { Alert: false } last || familyLines[last] == 1)) || kinds[i] == LogLineKind.Summary)
            {
                keep[i] = kinds[i] != LogLineKind.PassingTest || i >= n - Edge;
            }
        }

        // 3. Failure blocks of test runners, whole up to a cap.
        for (var i = 0; i < n; i++)
        {
            if (kinds[i] != LogLineKind.FailureStart)
            {
                continue;
            }

            keep[i] = true;
            var j = i + 1;
            for (; j < n && j - i < MaxFailureBlock && kinds[j] is not (LogLineKind.PassingTest or LogLineKind.FailureStart or LogLineKind.Summary); j++)
            {
                keep[j] = true;
            }

            i = j - 1;
        }

        // 4. Templates: rare alert templates and single lines whole; the rest as their first line plus a note.
        //    A collapsing alert template first splits on the fields that take only a few values
        //    ("Failed none" / "Failed password", "warning" / "critical"): those are different messages.
        var notes = new Dictionary<int, (string Note, int SrcStart, int SrcEnd)>();
        var collapsed = new List<(List<LogTemplate> Family, List<int> Lines)>();
        foreach (var family in families)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var (members, group) in Groups(family, tokens))
            {
                var whole = group.Count == 1 || (family[0].Alert && group.Count <= AlertCollapseAbove);
                foreach (var line in whole ? group : [group[0]])
                {
                    keep[line] = true;
                    if (kinds[line] == LogLineKind.Error)
                    {
                        KeepContext(line);
                    }
                }

                if (!whole)
                {
                    collapsed.Add((members, group));
                }
            }
        }

        // 4b. With a query, the template lines cut so far ranked against it: the best few stay verbatim in their place.
        var ranking = KeepRanked(input, lines, templateOf, keep, request, started);

        // Notes in output order; a value already shown (in a kept line or an earlier note) is not listed again.
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var shownLookup = shown.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i < n; i++)
        {
            if (keep[i] && tokens[i].Ranges is { } ranges)
            {
                foreach (var (start, end) in ranges)
                {
                    Shown(shownLookup, input.AsSpan(start, end - start));
                }
            }
        }

        collapsed.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
        foreach (var (family, group) in collapsed)
        {
            notes[group[0]] = (Note(input, lines, tokens, family, group, shown), lines[group[1]].Start, lines[group[^1]].End);
        }

        // 5. Write kept lines in order; the marker names the dominant omitted template.
        var builder = new SpanBuilder(input, input.Length / 8);
        var omitted = 0;
        var passing = 0;
        var omittedByTemplate = new Dictionary<LogTemplate, int>();
        for (var i = 0; i < n; i++)
        {
            if (!keep[i])
            {
                omitted++;
                if (kinds[i] == LogLineKind.PassingTest)
                {
                    passing++;
                }
                else if (templateOf[i] is { } t)
                {
                    omittedByTemplate[t] = omittedByTemplate.GetValueOrDefault(t) + 1;
                }

                continue;
            }

            var (start, end, next) = lines[i];
            if (notes.TryGetValue(i, out var note))
            {
                // The note goes before a CRLF's '\r', so the line still ends the way it did.
                var contentEnd = end > start && input[end - 1] == '\r' ? end - 1 : end;
                builder.Kept(start, contentEnd);
                builder.Summary(note.Note, note.SrcStart, note.SrcEnd);
                builder.Kept(contentEnd, end);
            }
            else
            {
                builder.Kept(start, end);
            }

            if (next > end)
            {
                builder.Kept(end, next);
            }
            else if (omitted > 0 || i < n - 1)
            {
                builder.Summary("\n");
            }
        }

        if (omitted == 0)
        {
            return builder.Build(lossy: false) with { Scorer = ranking.Scorer, ScorerFallback = ranking.Fallback };
        }

        if (lines[n - 1].Next == lines[n - 1].End && keep[n - 1])
        {
            // Output ends mid-line (no trailing newline in the input): start the marker on its own line.
            builder.Summary("\n");
        }

        var top = omittedByTemplate.OrderByDescending(p => p.Value).ThenBy(p => p.Key.FirstLine).FirstOrDefault();
        var detail = top.Key is null ? "" : $"{top.Value:N0} × \"{Shorten(top.Key.ToString())}\"";
        if (passing > 0)
        {
            detail = (detail.Length > 0 ? detail + "; " : "") + $"{passing:N0} passing-test lines";
        }

        if (ranking.Kept > 0)
        {
            detail = (detail.Length > 0 ? detail + "; " : "") + $"{ranking.Kept:N0} query-ranked lines kept";
        }

        var hash = request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(input);
        builder.Marker(MarkerFormat.Format(omitted, n, MarkerUnit.Lines, detail.Length > 0 ? detail : null, hash), 0, input.Length);
        return builder.Build(lossy: true) with { Scorer = ranking.Scorer, ScorerFallback = ranking.Fallback };

        void KeepContext(int line)
        {
            for (var j = Math.Max(0, line - Context); j <= Math.Min(n - 1, line + Context); j++)
            {
                keep[j] |= kinds[j] != LogLineKind.PassingTest;
            }

            for (int j = line + 1, frames = 0; j < n && kinds[j] == LogLineKind.StackFrame && frames < MaxStackFrames; j++, frames++)
            {
                keep[j] = true;
            }
        }
    }

    /// <summary>
    /// Ranks the template lines (ordinary, warning or error) that selection cut and that share a word with the query
    /// against it, and keeps the best <c>rankedLines</c> with a positive score, ties to the earlier line. A line whose text
    /// an earlier candidate already has is not scored again (the earlier one stands for it). No query word, nothing cut,
    /// no time left (<see cref="Affordable"/>), stopped at its share, or a ranker that throws: the selection stays as it was
    /// and the reason is the fallback.
    /// </summary>
    private (int Kept, string? Scorer, string? Fallback) KeepRanked(string input, LogLines lines, LogTemplate?[] templateOf, bool[] keep, CompressionRequest request, TimeSpan started)
    {
        var words = QueryTerms.Parse(request.Query).Words;
        if (rankedLines <= 0 || words.Count == 0)
        {
            return (0, null, null);
        }

        var spent = request.Budget is { } b ? b.Cpu - started : TimeSpan.Zero;
        if (Affordable(request.Budget, spent, SearchShare) is { } tooLittle)
        {
            return (0, null, tooLittle);
        }

        var (candidates, texts) = Candidates(input, lines, templateOf, keep, words, request.CancellationToken);
        if (candidates.Count == 0)
        {
            return (0, null, null);
        }

        if (Affordable(request.Budget, spent, texts.Sum(t => t.Length) / (double)input.Length) is { } notEnough)
        {
            return (0, null, notEnough);
        }

        // The ranker runs under a budget of its own, the share left once writing is set aside: a ranker slower than
        // its estimate is stopped there (as far as the budget's timer is on time) instead of taking the output over.
        var budget = request.Budget;
        var share = budget is null ? TimeSpan.Zero : budget.CpuLeft - (spent * WritingShare);
        using var bound = budget is null ? null : new ComputeBudget(share, budget.WallLeft);
        using var linked = bound is null ? null : CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken, bound.Token);
        RelevanceRanking ranking;
        try
        {
            ranking = _ranker.Rank(request.Query!, texts, linked is null ? request : request with { CancellationToken = linked.Token, Budget = bound });
            if (bound?.Exceeded == true)
            {
                throw new OperationCanceledException(bound.Token);
            }
        }
        catch (OperationCanceledException) when (!request.CancellationToken.IsCancellationRequested)
        {
            return (0, null, string.Create(CultureInfo.InvariantCulture, $"ranking stopped at its share of the budget ({share.TotalMilliseconds:F0} ms)"));
        }
#pragma warning disable CA1031 // Fail open: ranking is an extra; a ranker that fails leaves the selection as it was.
        catch (Exception ex) when (!request.CancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return (0, null, $"{_ranker.Name} failed ({ex.GetType().Name}: {ex.Message}); no lines ranked");
        }

        var top = ranking.Top(Math.Max(1, (int)Math.Round(rankedLines * request.KeepFactor)));
        foreach (var t in top)
        {
            keep[candidates[t]] = true;
        }

        return (top.Count, ranking.Ranker, ranking.Fallback);
    }

    /// <summary>
    /// Ranking is an extra the budget must afford, so it can never push an output over it: in a pipeline, a step of
    /// ranking runs only if what the budget has left covers writing the output afterwards (set at as much again as the
    /// compressor has <paramref name="spent"/> so far; it took 0.25-0.65 of that on the 13 loghub logs) plus the step
    /// itself, <paramref name="share"/> of what the compressor has spent (finding the candidates: 0.25, ~0.1 measured;
    /// scoring them: their share of the input's chars, as BM25 costs ≤ 0.7 of the compressor per char). Null when it fits
    /// (or outside a pipeline); otherwise why not.
    /// </summary>
    private static string? Affordable(ComputeBudget? budget, TimeSpan spent, double share)
    {
        if (budget is null)
        {
            return null;
        }

        var needed = (spent * (WritingShare + share)) + MinRankingTime;
        return budget.CpuLeft >= needed
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"not ranked: {budget.CpuLeft.TotalMilliseconds:F1} ms of the budget left, {needed.TotalMilliseconds:F1} ms needed to rank and write");
    }

    /// <summary>The cut template lines that share a word with the query (<see cref="LinesSharingAWord"/>), each distinct text once, and their texts (heads of long lines).</summary>
    private static (List<int> Lines, List<string> Texts) Candidates(string input, LogLines lines, LogTemplate?[] templateOf, bool[] keep, IReadOnlyList<string> words, CancellationToken cancel)
    {
        var sharing = LinesSharingAWord(input, lines, words, cancel);
        var candidates = new List<int>();
        var texts = new List<string>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keep.Length; i++)
        {
            if (keep[i] || templateOf[i] is null || !sharing[i])
            {
                continue;
            }

            var (start, end, _) = lines[i];
            var text = input.Substring(start, Math.Min(end - start, MaxRankedChars));
            if (distinct.Add(text))
            {
                candidates.Add(i);
                texts.Add(text);
            }
        }

        return (candidates, texts);
    }

    /// <summary>
    /// Which lines hold one of the query's content <paramref name="words"/> (<see cref="QueryTerms"/>), or its stem,
    /// case-insensitively: the only lines a lexical ranker can score above 0, and what a learned one re-scores (it sees the
    /// lexical ranker's best). One vectorised multi-word search over the input, resumed at the next line after each hit:
    /// scoring every cut line of a 600 KB log cost 6-8 ms of CPU, a search per word 2.5 ms each, this one ~1 ms for eight words.
    /// </summary>
    private static bool[] LinesSharingAWord(string input, LogLines lines, IReadOnlyList<string> words, CancellationToken cancel)
    {
        // A word stems to the query's stem only if it starts with it ("parties" → "party": with its 'y' dropped).
        var probes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var stem = WordStemmer.Stem(word);
            probes.Add(stem.Length > 3 && stem[^1] == 'y' ? stem[..^1] : stem);
        }

        var search = SearchValues.Create([.. probes], StringComparison.OrdinalIgnoreCase);
        var sharing = new bool[lines.Count];
        for (var at = 0; at < input.Length;)
        {
            cancel.ThrowIfCancellationRequested();
            var found = input.AsSpan(at).IndexOfAny(search);
            if (found < 0)
            {
                break;
            }

            var line = lines.LineAt(at + found);
            sharing[line] = true;
            at = lines[line].Next;
        }

        return sharing;
    }

    /// <summary>
    /// <c> (×N similar, last at TIMESTAMP; VALUE VALUE ...)</c>: how many lines the kept one stands
    /// for, when the last of them was logged (for <see cref="LastStampFrom"/> lines or more), and every distinct identifier-like value its variable
    /// fields took in the other lines (what the first line already shows is not repeated).
    /// </summary>
    private static string Note(string input, LogLines lines, LineTokens[] tokens, List<LogTemplate> family, List<int> group, HashSet<string> shown)
    {
        var sb = new StringBuilder(64);
        sb.Append(CultureInfo.InvariantCulture, $" (×{group.Count:N0} similar");
        var last = lines[group[^1]];
        var stamp = LogTimestamp.Leading(input.AsSpan(last.Start, last.End - last.Start));
        var head = lines[group[0]];
        var firstStamp = LogTimestamp.Leading(input.AsSpan(head.Start, head.End - head.Start));
        if (group.Count >= LastStampFrom && !stamp.IsEmpty && !stamp.SequenceEqual(firstStamp))
        {
            // The kept line shows the date: on the same day only the time is repeated.
            var common = stamp.CommonPrefixLength(firstStamp);
            var cut = stamp[..common].LastIndexOfAny(' ', 'T');
            // "2016-09-29 00:00:46," is followed by "; values": the stamp's own trailing separator is not repeated.
            sb.Append(", last at ").Append((cut > 0 && stamp.Length == firstStamp.Length ? stamp[(cut + 1)..] : stamp).TrimEnd(",;:"));
        }

        var seen = shown.GetAlternateLookup<ReadOnlySpan<char>>();
        var values = new List<string>();
        var more = 0;
        var oneOff = 0;
        foreach (var member in family)
        {
            // A family's other templates are not shown by the kept line: their literal tokens are values too.
            var memberLines = family.Count == 1 ? group : member.Lines;
            var template = member.Tokens;
            var first = tokens[memberLines[0]];
            var kept = memberLines[0] == group[0];
            for (var p = 0; p < template.Length; p++)
            {
                if (!template[p].Contains(TemplateMiner.Wildcard, StringComparison.Ordinal))
                {
                    if (!kept)
                    {
                        Value(first.Ranges[p].Start, first.Ranges[p].End);
                    }

                    continue;
                }

                if (kept)
                {
                    Shown(seen, input.AsSpan(first.Ranges[p].Start, first.Ranges[p].End - first.Ranges[p].Start));
                }

                if (IsOneOffIdField(input, tokens, memberLines, p))
                {
                    oneOff += memberLines.Count - (kept ? 1 : 0);
                    continue;
                }

                foreach (var line in memberLines)
                {
                    var (start, end) = tokens[line].Ranges[p];
                    Value(start, end);
                }
            }
        }

        void Value(int start, int end)
        {
            var raw = LogValues.WithoutEphemeralPort(input.AsSpan(start, end - start).Trim(ValueTrim));
            if (raw.IndexOfAny(ValueParts) < 0 || seen.Contains(raw))
            {
                List(raw);
                return;
            }

            if (!raw.Contains('.') && !HasLetter(raw))
            {
                return; // 15:07:52,345: no part of it is a name or an IPv4 address
            }

            // '{guid}GLOBALROOT/Device/...': a value with braces or commas of its own is listed as its
            // parts, which can share a prefix with the other values' parts (the whole cannot go in a brace list);
            // unless a part that mixes letters and digits would not be listed on its own (Alarm{19069ff: the hex id reads as a quantity).
            var whole = false;
            foreach (var part in raw.SplitAny(ValueParts))
            {
                var value = raw[part].Trim(ValueTrim);
                whole |= value.ContainsAnyInRange('0', '9') && value.ContainsAnyInRange('a', 'z') && !LogValues.IsIdentifier(value);
            }

            if (whole)
            {
                List(raw);
                return;
            }

            foreach (var part in raw.SplitAny(ValueParts))
            {
                List(raw[part].Trim(ValueTrim));
            }

            // The whole is done with: the same value on the next line of the group costs one lookup.
            seen.Add(raw);
        }

        void List(ReadOnlySpan<char> raw)
        {
            if (seen.Contains(raw) || !LogValues.IsIdentifier(raw) || !seen.Add(raw))
            {
                return;
            }

            seen.TryGetValue(raw, out var value);
            if (values.Count >= MaxListedValues)
            {
                more++;
                return;
            }

            values.Add(value!);
        }

        if (values.Count > 0)
        {
            sb.Append("; ");
            LogValues.AppendCompact(sb, LogValues.WithoutPathTails(values));
        }

        if (more > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" and {more:N0} more values");
        }

        if (oneOff > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; {oneOff:N0} one-off request ids not listed");
        }

        return sb.Append(')').ToString();
    }

    /// <summary>
    /// What one kept line (and note) stands for: an ordinary family's lines together; a collapsing alert template
    /// split on its few-valued fields (<see cref="SplitOnFewValued"/>); an alert family together only when none of
    /// its templates splits so, otherwise each template on its own.
    /// </summary>
    private static IEnumerable<(List<LogTemplate> Members, List<int> Lines)> Groups(List<LogTemplate> family, LineTokens[] tokens)
    {
        if (!family[0].Alert)
        {
            yield return (family, FamilyLines(family));
            yield break;
        }

        var splits = family.Select(t => t.Count > AlertCollapseAbove ? SplitOnFewValued(t, tokens) : [t.Lines]).ToList();
        if (family.Count > 1 && splits.All(s => s.Count == 1))
        {
            yield return (family, FamilyLines(family));
            yield break;
        }

        for (var m = 0; m < family.Count; m++)
        {
            foreach (var group in splits[m])
            {
                yield return ([family[m]], group);
            }
        }
    }

    /// <summary>The lines of a family's templates, in order.</summary>
    private static List<int> FamilyLines(List<LogTemplate> family)
    {
        if (family.Count == 1)
        {
            return family[0].Lines;
        }

        var all = new List<int>(family.Sum(t => t.Count));
        foreach (var t in family)
        {
            all.AddRange(t.Lines);
        }

        all.Sort();
        return all;
    }

    private static bool HasLetter(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value a kept line shows, and its parts when it has braces or commas of its own (see <see cref="Note"/>).</summary>
    private static void Shown(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> shown, ReadOnlySpan<char> token)
    {
        var value = token.Trim(ValueTrim);
        shown.Add(value);
        if (value.IndexOfAny(ValueParts) >= 0)
        {
            foreach (var part in value.SplitAny(ValueParts))
            {
                shown.Add(value[part].Trim(ValueTrim));
            }
        }
    }

    /// <summary>
    /// A field that takes a new random id (a UUID or a long hex run, as request and trace ids are) on
    /// every line of a large group: listing them would cost as much as the lines, and no one asks for
    /// a request id they have not seen. Names, numbered ids and paths are never one-off.
    /// </summary>
    private static bool IsOneOffIdField(string input, LineTokens[] tokens, List<int> group, int p)
    {
        if (group.Count < MinOneOffGroup)
        {
            return false;
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var lookup = distinct.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var line in group)
        {
            var (start, end) = tokens[line].Ranges[p];
            var raw = input.AsSpan(start, end - start).Trim(ValueTrim);
            if (!LogValues.IsRandomId(raw) || !lookup.Add(raw))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The template's lines grouped by the masked tokens at its variable positions that take at most
    /// <see cref="FewValues"/> distinct values, in order of first appearance.</summary>
    private static List<List<int>> SplitOnFewValued(LogTemplate t, LineTokens[] tokens)
    {
        var few = new List<int>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < t.Tokens.Length; p++)
        {
            if (t.Tokens[p] != TemplateMiner.Wildcard || IsHeaderColumn(t.Tokens, p))
            {
                continue;
            }

            distinct.Clear();
            foreach (var line in t.Lines)
            {
                if (distinct.Add(tokens[line].Masked[p]) && distinct.Count > FewValues)
                {
                    break;
                }
            }

            if (distinct.Count is > 1 and <= FewValues)
            {
                few.Add(p);
            }
        }

        if (few.Count == 0)
        {
            return [t.Lines];
        }

        var groups = new List<List<int>>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in t.Lines)
        {
            var key = string.Join('\u0001', few.Select(p => tokens[line].Masked[p]));
            if (!byKey.TryGetValue(key, out var g))
            {
                g = groups.Count;
                byKey[key] = g;
                groups.Add([]);
            }

            groups[g].Add(line);
        }

        return groups;
    }

    /// <summary>
    /// A field before a number-only field in the first <see cref="HeaderColumns"/> positions is a column of the
    /// line's header (node, component, state before an epoch time: <c>ID node-3 switch_module bcast-error 1076189965 1 Link error</c>),
    /// not a word of the message: lines that differ there say the same thing.
    /// </summary>
    private static bool IsHeaderColumn(string[] template, int p)
    {
        for (var q = p + 1; q < Math.Min(template.Length - 1, HeaderColumns); q++)
        {
            if (template[q] == TemplateMiner.Wildcard)
            {
                return true;
            }
        }

        return false;
    }

    private const int HeaderColumns = 6;

    /// <summary>
    /// A note names its last line's time from this many lines on: when a flood last happened tells something the
    /// kept line does not; for a message seen a few times it costs as much as a listed value (Mac: ~8 tokens on each of
    /// ~100 small groups) and the lines are retrievable.
    /// </summary>
    private const int LastStampFrom = 10;

    private const int FewValues = 4;

    private const int MinOneOffGroup = 32;

    private const string ValueTrim = "\"'()[]{}<>,;:.!?";

    private static readonly SearchValues<char> ValueParts = SearchValues.Create(",{}[]()");

    internal static LogLineKind Classify(ReadOnlySpan<char> line)
    {
        if (line.IsWhiteSpace())
        {
            return LogLineKind.Normal;
        }

        // Runner prefixes and frames sit at the start; a megabyte-long line (minified JSON in a
        // log) must not cost a megabyte of work per anchored pattern. Error words are searched in
        // the whole line: a distinct error must never be mistaken for an ordinary line.
        var full = line;
        if (line.Length > MaxClassifiedChars)
        {
            line = line[..MaxClassifiedChars];
        }

        if (LogLinePatterns.PassingTest().IsMatch(line))
        {
            return LogLineKind.PassingTest;
        }

        if (LogLinePatterns.FailureStart().IsMatch(line))
        {
            return LogLineKind.FailureStart;
        }

        if (LogLinePatterns.StackFrame().IsMatch(line))
        {
            return LogLineKind.StackFrame;
        }

        if (LogLinePatterns.Summary().IsMatch(line))
        {
            return LogLineKind.Summary;
        }

        if (LogLinePatterns.IsError(full))
        {
            return LogLineKind.Error;
        }

        return LogLinePatterns.IsWarning(line) ? LogLineKind.Warning : LogLineKind.Normal;
    }

    private static string Shorten(string template) => template.Length <= 90 ? template : template[..89] + "…";
}
