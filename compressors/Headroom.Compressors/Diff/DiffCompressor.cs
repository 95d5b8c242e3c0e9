using System.Globalization;
using System.Text.RegularExpressions;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Diff;

/// <summary>
/// Unified diffs (git diff / git show / diff -u). Every +/- line of a kept hunk stays verbatim;
/// context is trimmed to 2 lines around changes, with hunk headers recomputed so the output is
/// still a valid diff. Lockfiles, generated files and binary diffs collapse to one line each.
/// When a diff is very large, the lightest hunks and files go first, and the marker names them.
/// </summary>
internal sealed partial class DiffCompressor : ICompressor
{
    private const int Context = 2;

    public string Name => "diff";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var maxChanged = Math.Max(200, (int)Math.Round(3000 * request.KeepFactor));
        var maxHunksPerFile = Math.Max(5, (int)Math.Round(40 * request.KeepFactor));
        var lines = LogLines.Split(input);
        string L(int i) => input.Substring(lines[i].Start, lines[i].End - lines[i].Start);

        // 1. Parse: preamble lines, files, hunks.
        var files = new List<DiffFile>();
        DiffFile? file = null;
        DiffHunk? hunk = null;
        var preambleEnd = lines.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = L(i);
            if (line.StartsWith("diff --git ", StringComparison.Ordinal) || (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Count
                && L(i + 1).StartsWith("+++ ", StringComparison.Ordinal) && (file is null || hunk is not null)))
            {
                if (line.StartsWith("--- ", StringComparison.Ordinal) && file is not null && file.Hunks.Count == 0 && file.FirstLine == i - 1)
                {
                    file.LastLine = i;
                    continue;
                }

                file = new DiffFile(PathOf(line, i + 1 < lines.Count ? L(i + 1) : ""), i);
                files.Add(file);
                hunk = null;
                preambleEnd = Math.Min(preambleEnd, i);
                continue;
            }

            if (file is null)
            {
                continue;
            }

            file.LastLine = i;
            var m = HunkHeader().Match(line);
            if (m.Success)
            {
                hunk = new DiffHunk(i, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value);
                file.Hunks.Add(hunk);
                continue;
            }

            if (hunk is not null && line.Length > 0 && line[0] is '+' or '-' or ' ' or '\\')
            {
                hunk.LastLine = i;
                if (line[0] is '+' or '-')
                {
                    hunk.Changed++;
                }
            }
            else if (hunk is not null && line.Length == 0)
            {
                hunk.LastLine = i; // an empty context line some tools write without the space
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line.StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                file.Binary = true;
            }
            else if (hunk is not null)
            {
                // Text after a hunk that is not diff syntax (e.g. the next commit's header).
                hunk = null;
            }
        }

        // 2. Budget: the heaviest files and hunks survive.
        var collapsed = files.Where(f => f.Binary || IsLockfile(f.Path) || IsGenerated(f.Path)).ToHashSet();
        var keptHunks = new HashSet<DiffHunk>();
        var dropped = new List<string>();
        var budget = maxChanged;
        foreach (var f in files.Where(f => !collapsed.Contains(f)).OrderByDescending(f => f.Changed).ThenBy(f => f.FirstLine))
        {
            var hunks = f.Hunks.OrderByDescending(h => h.Changed).ThenBy(h => h.HeaderLine).ToList();
            var kept = 0;
            foreach (var h in hunks)
            {
                if (kept < maxHunksPerFile && (h.Changed <= budget || keptHunks.Count == 0))
                {
                    keptHunks.Add(h);
                    budget -= h.Changed;
                    kept++;
                }
            }

            if (f.Hunks.Count > 0 && kept == 0)
            {
                dropped.Add(f.Path);
            }
            else if (kept < f.Hunks.Count)
            {
                dropped.Add(string.Create(CultureInfo.InvariantCulture, $"{f.Hunks.Count - kept} hunks of {f.Path}"));
            }
        }

        // 3. Up to 10% of the +/- lines may shorten: a removed line whose replacement follows keeps
        //    only its changed middle (the added line shows the rest), biggest savings first.
        var totalChanged = files.Sum(f => f.Changed);
        var shortened = PairedRemovals(input, lines, files.Where(f => !collapsed.Contains(f)).SelectMany(f => f.Hunks).Where(keptHunks.Contains))
            .OrderByDescending(p => p.Saving).ThenBy(p => p.Line)
            .Take(totalChanged / 10)
            .ToDictionary(p => p.Line, p => (p.From, p.To));

        // 4. Write.
        var builder = new SpanBuilder(input, input.Length / 2);
        var keptLines = 0;
        void Line(int i)
        {
            builder.Kept(lines[i].Start, lines[i].Next);
            if (lines[i].Next == lines[i].End)
            {
                builder.Summary("\n");
            }

            keptLines++;
        }

        for (var i = 0; i < Math.Min(preambleEnd, lines.Count); i++)
        {
            Line(i);
        }

        foreach (var f in files)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            if (collapsed.Contains(f))
            {
                var kind = f.Binary ? "binary file" : IsLockfile(f.Path) ? "lockfile" : "generated file";
                var plus = f.Hunks.Sum(h => CountPrefix(input, lines, h, '+'));
                var minus = f.Hunks.Sum(h => CountPrefix(input, lines, h, '-'));
                builder.Kept(lines[f.FirstLine].Start, lines[f.FirstLine].End)
                    .Summary(string.Create(CultureInfo.InvariantCulture, $" ({kind}: +{plus:N0} -{minus:N0} lines not shown)\n"), lines[f.FirstLine].Start, lines[f.LastLine].Next);
                keptLines++;
                continue;
            }

            if (f.Hunks.Count > 0 && !f.Hunks.Any(keptHunks.Contains))
            {
                continue;
            }

            // File header lines (the "index" line carries nothing an agent uses).
            var headerEnd = f.Hunks.Count > 0 ? f.Hunks[0].HeaderLine : f.LastLine + 1;
            for (var i = f.FirstLine; i < headerEnd; i++)
            {
                if (!L(i).StartsWith("index ", StringComparison.Ordinal))
                {
                    Line(i);
                }
            }

            foreach (var h in f.Hunks.Where(keptHunks.Contains))
            {
                WriteHunk(builder, input, lines, h, shortened, ref keptLines);
            }
        }

        var omitted = lines.Count - keptLines;
        if (omitted <= 0)
        {
            return builder.Build(lossy: false);
        }

        var hash = request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(input);
        var detail = "context trimmed to 2 lines";
        if (collapsed.Count > 0)
        {
            detail += string.Create(CultureInfo.InvariantCulture, $"; {collapsed.Count} lockfile/generated/binary diffs collapsed");
        }

        if (shortened.Count > 0)
        {
            detail += string.Create(CultureInfo.InvariantCulture, $"; {shortened.Count} replaced lines show only their changed part after -…");
        }

        if (dropped.Count > 0)
        {
            detail += "; dropped " + string.Join(", ", dropped);
        }

        builder.Marker(MarkerFormat.Format(omitted, lines.Count, MarkerUnit.Lines, detail, hash), 0, input.Length);
        return builder.Build(lossy: true);
    }

    // Keeps every +/- line and at most 2 context lines around each run of changes; a hunk split
    // by a long context run becomes several hunks with recomputed headers.
    private static void WriteHunk(SpanBuilder builder, string input, LogLines lines, DiffHunk h, Dictionary<int, (int From, int To)> shortened, ref int keptLines)
    {
        var first = h.HeaderLine + 1;
        var last = h.LastLine;
        var count = last - first + 1;
        if (count <= 0)
        {
            return;
        }

        var keep = new bool[count];
        for (var k = 0; k < count; k++)
        {
            var c = Kind(input, lines, first + k);
            if (c is '+' or '-' or '\\')
            {
                for (var j = Math.Max(0, k - Context); j <= Math.Min(count - 1, k + Context); j++)
                {
                    keep[j] = true;
                }
            }
        }

        if (keep.All(k => k))
        {
            builder.Kept(lines[h.HeaderLine].Start, lines[h.HeaderLine].Next);
            keptLines++;
            for (var i = first; i <= last; i++)
            {
                BodyLine(builder, lines, i, shortened);
                keptLines++;
            }

            return;
        }

        // Walk the hunk tracking old/new line numbers; emit each kept run under its own header.
        int oldLine = h.OldStart, newLine = h.NewStart;
        for (var k = 0; k < count;)
        {
            if (!keep[k])
            {
                Advance(Kind(input, lines, first + k), ref oldLine, ref newLine);
                k++;
                continue;
            }

            var runEnd = k;
            int oldCount = 0, newCount = 0;
            while (runEnd < count && keep[runEnd])
            {
                var c = Kind(input, lines, first + runEnd);
                oldCount += c is '-' or ' ' ? 1 : 0;
                newCount += c is '+' or ' ' ? 1 : 0;
                runEnd++;
            }

            var header = string.Create(CultureInfo.InvariantCulture, $"@@ -{Range(oldLine, oldCount)} +{Range(newLine, newCount)} @@{h.Section}\n");
            builder.Summary(header, lines[h.HeaderLine].Start, lines[h.LastLine].Next);
            for (var j = k; j < runEnd; j++)
            {
                BodyLine(builder, lines, first + j, shortened);
                keptLines++;
                Advance(Kind(input, lines, first + j), ref oldLine, ref newLine);
            }

            k = runEnd;
        }
    }

    private static void BodyLine(SpanBuilder builder, LogLines lines, int i, Dictionary<int, (int From, int To)> shortened)
    {
        var (start, end, next) = lines[i];
        if (shortened.TryGetValue(i, out var mid))
        {
            builder.Kept(start, start + 1).Summary("…", start, end).Kept(mid.From, mid.To).Summary("…", start, end);
            builder.Kept(end, next);
        }
        else
        {
            builder.Kept(start, next);
        }

        if (next == end)
        {
            builder.Summary("\n");
        }
    }

    // Removed lines directly replaced by added lines (run of k '-' then k '+'), paired in order,
    // with the changed middle of the removed line (±12 chars) when that saves ≥ 40 chars.
    private static IEnumerable<(int Line, int From, int To, int Saving)> PairedRemovals(string input, LogLines lines, IEnumerable<DiffHunk> hunks)
    {
        foreach (var h in hunks)
        {
            for (var i = h.HeaderLine + 1; i <= h.LastLine;)
            {
                if (Kind(input, lines, i) != '-')
                {
                    i++;
                    continue;
                }

                var minusStart = i;
                while (i <= h.LastLine && Kind(input, lines, i) == '-')
                {
                    i++;
                }

                var plusStart = i;
                while (i <= h.LastLine && Kind(input, lines, i) == '+')
                {
                    i++;
                }

                // Pair each removed line with the most similar added line after the last pairing.
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
                    var from = ms + 1 + Math.Max(0, bestPrefix - 12);
                    var to = me - Math.Max(0, bestSuffix - 12);
                    var saving = (me - ms - 1) - (to - from) - 2;
                    if (saving >= 40 && to > from)
                    {
                        yield return (m, from, to, saving);
                    }
                }
            }
        }
    }

    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture)
        : count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{start - 1},0")
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static void Advance(char kind, ref int oldLine, ref int newLine)
    {
        if (kind is '-' or ' ')
        {
            oldLine++;
        }

        if (kind is '+' or ' ')
        {
            newLine++;
        }
    }

    private static char Kind(string input, LogLines lines, int i) => lines[i].End > lines[i].Start ? input[lines[i].Start] : ' ';

    private static int CountPrefix(string input, LogLines lines, DiffHunk h, char prefix)
    {
        var n = 0;
        for (var i = h.HeaderLine + 1; i <= h.LastLine; i++)
        {
            n += Kind(input, lines, i) == prefix ? 1 : 0;
        }

        return n;
    }

    private static string PathOf(string line, string next)
    {
        if (line.StartsWith("diff --git ", StringComparison.Ordinal))
        {
            var b = line.LastIndexOf(" b/", StringComparison.Ordinal);
            return b > 0 ? line[(b + 3)..] : line["diff --git ".Length..];
        }

        var plus = next.StartsWith("+++ ", StringComparison.Ordinal) ? next[4..] : line[4..];
        var tab = plus.IndexOf('\t', StringComparison.Ordinal);
        plus = tab > 0 ? plus[..tab] : plus;
        return plus.StartsWith("b/", StringComparison.Ordinal) ? plus[2..] : plus;
    }

    internal static bool IsLockfile(string path)
    {
        var name = Path.GetFileName(path);
        return name is "package-lock.json" or "yarn.lock" or "pnpm-lock.yaml" or "Cargo.lock" or "poetry.lock" or "Pipfile.lock" or "go.sum"
            or "composer.lock" or "Gemfile.lock" or "packages.lock.json" or "bun.lockb" or "flake.lock" or "uv.lock" or "mix.lock" or "Podfile.lock";
    }

    internal static bool IsGenerated(string path) => Generated().IsMatch(path);

    [GeneratedRegex(@"(?:\.min\.(?:js|css)$|\.map$|(?:^|/)(?:dist|build|out|node_modules|vendor|__snapshots__)/|\.pb\.go$|_pb2\.py$|\.g\.cs$|\.Designer\.cs$|\.generated\.\w+$|_generated\.\w+$|\.snap$)", RegexOptions.CultureInvariant)]
    private static partial Regex Generated();

    [GeneratedRegex(@"^@@ -([0-9]+)(?:,[0-9]+)? \+([0-9]+)(?:,[0-9]+)? @@(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();
}
