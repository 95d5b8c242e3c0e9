using System.Globalization;
using System.Text.RegularExpressions;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tokens;

namespace Headroom.Compressors.Diff;

/// <summary>
/// Unified diffs (git diff / git show / diff -u). At least nine in ten +/- lines stay verbatim; the
/// others (chosen by <see cref="LineShortener"/>) show their changed middle or their
/// head, and a marker in that file's section says how many. Context is trimmed to one line around
/// changes and long context lines are clipped, with hunk headers recomputed so the output still reads
/// as a diff. Lockfiles, generated files and binary diffs collapse to one line each; a diff with more
/// changed lines than the budget keeps its heaviest files, and each file left out keeps its header
/// line with a marker naming its +/- counts. Never returns more tokens than it was given.
/// </summary>
internal sealed partial class DiffCompressor : ICompressor
{
    private const int Context = 1;
    private const int ContextClipFrom = 80;
    private const int ContextClip = 60;

    public string Name => "diff";

    public int Version => 2;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var maxChanged = Math.Max(200, (int)Math.Round(3000 * request.KeepFactor));
        var lines = LogLines.Split(input);
        var hash = request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(input);

        // 1. Parse: preamble lines, files, hunks.
        var files = DiffParser.Parse(input, lines, out var preambleEnd);

        // 2. Budget: the heaviest files survive whole; the others are named with their counts.
        var collapsed = files.Where(f => f.Binary || IsLockfile(f.Path) || IsGenerated(f.Path)).ToHashSet();
        var overBudget = new HashSet<DiffFile>();
        var budget = maxChanged;
        var keptAny = false;
        foreach (var f in files.Where(f => !collapsed.Contains(f)).OrderByDescending(f => f.Changed).ThenBy(f => f.FirstLine))
        {
            if (f.Changed <= budget || !keptAny)
            {
                budget -= f.Changed;
                keptAny = true;
            }
            else
            {
                overBudget.Add(f);
            }
        }

        // 3. Up to a tenth of the kept files' +/- lines may be shown in part.
        var cuts = LineShortener.Choose(input, lines, [.. files.Where(f => !collapsed.Contains(f) && !overBudget.Contains(f))]).ToDictionary(c => c.Line);

        // 4. Write.
        var writer = new DiffWriter(input, lines, cuts);
        for (var i = 0; i < Math.Min(preambleEnd, lines.Count); i++)
        {
            writer.Line(i);
        }

        foreach (var f in files)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            if (collapsed.Contains(f) || overBudget.Contains(f))
            {
                var kind = f.Binary ? "binary file" : IsLockfile(f.Path) ? "lockfile" : IsGenerated(f.Path) ? "generated file" : "over the diff budget";
                var plus = f.Hunks.Sum(h => DiffParser.CountPrefix(input, lines, h, '+'));
                var minus = f.Hunks.Sum(h => DiffParser.CountPrefix(input, lines, h, '-'));
                var note = string.Create(CultureInfo.InvariantCulture, $" ({kind}: +{plus:N0} -{minus:N0} lines not shown)");
                if (overBudget.Contains(f))
                {
                    var fileLines = f.LastLine - f.FirstLine + 1;
                    note = " " + MarkerFormat.Format(fileLines - 1, fileLines, MarkerUnit.Lines, string.Create(CultureInfo.InvariantCulture, $"{f.Path}: +{plus:N0} -{minus:N0} lines, {kind}"), hash);
                }

                writer.Collapsed(f, note + "\n");
                continue;
            }

            // File header lines (the "index" line carries nothing an agent uses).
            var headerEnd = f.Hunks.Count > 0 ? f.Hunks[0].HeaderLine : f.LastLine + 1;
            for (var i = f.FirstLine; i < headerEnd; i++)
            {
                if (!lines.Text(input, i).StartsWith("index ", StringComparison.Ordinal))
                {
                    writer.Line(i);
                }
            }

            var cutsBefore = writer.Cut;
            foreach (var h in f.Hunks)
            {
                writer.Hunk(h, Context, ContextClipFrom, ContextClip);
            }

            if (writer.Cut > cutsBefore)
            {
                var n = writer.Cut - cutsBefore;
                var detail = string.Create(CultureInfo.InvariantCulture, $"{f.Path}: {n} changed lines shown in part");
                writer.Marker(MarkerFormat.Format(n, f.Changed, MarkerUnit.Lines, detail, hash) + "\n", f);
            }
        }

        if (!writer.Lossy)
        {
            return writer.Builder.Build(lossy: false);
        }

        // 5. One marker for what the file markers do not name: trimmed context, collapsed files.
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"context trimmed to {Context} line, long context lines clipped") };
        if (collapsed.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{collapsed.Count} lockfile/generated/binary diffs collapsed"));
        }

        if (overBudget.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{overBudget.Count} files over the budget named above"));
        }

        var omitted = Math.Min(lines.Count, lines.Count - writer.Verbatim);
        writer.Builder.Marker(MarkerFormat.Format(omitted, lines.Count, MarkerUnit.Lines, string.Join("; ", parts), hash), 0, input.Length);
        var result = writer.Builder.Build(lossy: true);

        // 6. Never more tokens than the input (small diffs where the markers cost more than the cut).
        if (result.Output.Length * 2 >= input.Length && O200kTokenizer.Instance.CountTokens(result.Output) >= O200kTokenizer.Instance.CountTokens(input))
        {
            return new SpanBuilder(input, input.Length).Kept(0, input.Length).Build(lossy: false);
        }

        return result;
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
}
