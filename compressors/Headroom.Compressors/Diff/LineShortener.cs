using Headroom.Compressors.Logs;

namespace Headroom.Compressors.Diff;

/// <summary>
/// Chooses which changed lines of a diff may be shown in part: at most a tenth of all of them and a
/// quarter of any one file's, biggest savings first: a removed line whose replacement follows keeps only its changed middle (the
/// added line shows the rest); a long removed line keeps its head; a very long added line keeps
/// its head (ranked at half its saving, since added text is what a reader most needs).
/// </summary>
internal static class LineShortener
{
    private const int MiddleMargin = 12;
    private const int MinSaving = 40;
    private const int RemovedHeadFrom = 100;
    private const int RemovedHead = 40;
    private const int AddedHeadFrom = 160;
    private const int AddedHead = 100;

    public static IEnumerable<LineCut> Choose(string input, LogLines lines, IReadOnlyList<DiffFile> files)
    {
        var allowed = files.Sum(f => f.Changed) / 10;
        var perFile = new Dictionary<DiffFile, int>();
        var chosen = new List<LineCut>();
        foreach (var (file, cut) in files.SelectMany(f => Candidates(input, lines, f).Select(c => (File: f, c.Cut, c.Rank)))
            .OrderByDescending(c => c.Rank).ThenBy(c => c.Cut.Line).Select(c => (c.File, c.Cut)))
        {
            if (chosen.Count == allowed)
            {
                break;
            }

            var n = perFile.GetValueOrDefault(file);
            if (n < file.Changed / 4)
            {
                perFile[file] = n + 1;
                chosen.Add(cut);
            }
        }

        return chosen;
    }

    private static List<(double Rank, LineCut Cut)> Candidates(string input, LogLines lines, DiffFile file)
    {
        var paired = PairedRemovals(input, lines, file.Hunks).ToDictionary(c => c.Line);
        var candidates = new List<(double Rank, LineCut Cut)>(paired.Values.Select(c => ((double)c.Saving, c)));
        foreach (var h in file.Hunks)
        {
            for (var i = h.HeaderLine + 1; i <= h.LastLine; i++)
            {
                var kind = DiffParser.Kind(input, lines, i);
                var length = lines[i].End - lines[i].Start;
                if (paired.ContainsKey(i) || kind is not ('+' or '-') || length <= (kind == '-' ? RemovedHeadFrom : AddedHeadFrom))
                {
                    continue;
                }

                var keep = kind == '-' ? RemovedHead : AddedHead;
                var to = lines[i].Start + 1 + keep;
                if (char.IsHighSurrogate(input[to - 1]))
                {
                    to--;
                }

                var cut = new LineCut(i, lines[i].Start + 1, to, lines[i].End - to - 1, Middle: false);
                candidates.Add((kind == '-' ? cut.Saving : cut.Saving / 2.0, cut));
            }
        }

        return candidates;
    }

    // Removed lines directly replaced by added lines (a run of '-' then a run of '+'), each paired
    // with the most similar added line after the previous pairing; the changed middle of the removed
    // line (± 12 chars) when that saves ≥ 40 chars.
    private static IEnumerable<LineCut> PairedRemovals(string input, LogLines lines, List<DiffHunk> hunks)
    {
        foreach (var h in hunks)
        {
            for (var i = h.HeaderLine + 1; i <= h.LastLine;)
            {
                if (DiffParser.Kind(input, lines, i) != '-')
                {
                    i++;
                    continue;
                }

                var minusStart = i;
                while (i <= h.LastLine && DiffParser.Kind(input, lines, i) == '-')
                {
                    i++;
                }

                var plusStart = i;
                while (i <= h.LastLine && DiffParser.Kind(input, lines, i) == '+')
                {
                    i++;
                }

                var nextPlus = plusStart;
                for (var m = minusStart; m < plusStart && nextPlus < i; m++)
                {
                    var (ms, me, _) = lines[m];
                    var old = input.AsSpan(ms + 1, me - ms - 1);
                    int best = -1, bestPrefix = 0, bestSuffix = 0;
                    for (var p = nextPlus; p < i; p++)
                    {
                        var (ps, pe, _) = lines[p];
                        var neu = input.AsSpan(ps + 1, pe - ps - 1);
                        var prefix = old.CommonPrefixLength(neu);
                        var suffix = 0;
                        while (suffix < old.Length - prefix && suffix < neu.Length - prefix && old[old.Length - 1 - suffix] == neu[neu.Length - 1 - suffix])
                        {
                            suffix++;
                        }

                        if (prefix + suffix > bestPrefix + bestSuffix)
                        {
                            (best, bestPrefix, bestSuffix) = (p, prefix, suffix);
                        }
                    }

                    if (best < 0 || (bestPrefix + bestSuffix) * 2 < old.Length)
                    {
                        continue;
                    }

                    nextPlus = best + 1;
                    var from = ms + 1 + Math.Max(0, bestPrefix - MiddleMargin);
                    var to = me - Math.Max(0, bestSuffix - MiddleMargin);
                    if (char.IsLowSurrogate(input[from]))
                    {
                        from--;
                    }

                    if (to < me && char.IsLowSurrogate(input[to]))
                    {
                        to++;
                    }

                    var saving = (me - ms - 1) - (to - from) - 2;
                    if (saving >= MinSaving && to > from)
                    {
                        yield return new LineCut(m, from, to, saving, Middle: true);
                    }
                }
            }
        }
    }
}
