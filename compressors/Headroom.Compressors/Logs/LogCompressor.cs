using System.Globalization;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Logs;

/// <summary>
/// Logs and build output. Keeps, verbatim and in order: the first and last lines, summary lines,
/// every distinct error/fatal/exception/failed line (distinct modulo numbers and timestamps) with
/// ±2 lines of context and its stack trace (capped), failure blocks of test runners whole
/// (capped), and one representative line per mined template (warnings always), annotated with
/// how many lines it stands for. Passing-test lines are dropped. One marker at the end says how
/// many lines were left out and which template dominated.
/// </summary>
internal sealed class LogCompressor : ICompressor
{
    private const int Edge = 3;
    private const int Context = 2;
    private const int MaxStackFrames = 20;
    private const int MaxFailureBlock = 60;
    private const int MaxClassifiedChars = 512;

    public string Name => "log";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var cancel = request.CancellationToken;

        // 1. Lines and their kinds; templates for ordinary lines.
        var lines = LogLines.Split(input);
        var n = lines.Count;
        var kinds = new LogLineKind[n];
        var masked = new string?[n];
        var miner = new TemplateMiner();
        var templateOf = new LogTemplate?[n];
        for (var i = 0; i < n; i++)
        {
            if ((i & 255) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }

            var text = lines.Text(input, i);
            kinds[i] = Classify(text);
            if (kinds[i] is LogLineKind.PassingTest || text.IsWhiteSpace())
            {
                continue;
            }

            masked[i] = TemplateMiner.Mask(text);
            if (kinds[i] is LogLineKind.Normal or LogLineKind.Warning)
            {
                templateOf[i] = miner.Add(masked[i]!, i);
            }
        }

        var keep = new bool[n];
        var similar = new int[n];

        // 2. Edges and summaries.
        for (var i = 0; i < n; i++)
        {
            if (i < Edge || i >= n - Edge || kinds[i] == LogLineKind.Summary)
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

        // 4. Distinct errors with context and stack trace; repeats collapse into a count.
        var firstError = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (kinds[i] != LogLineKind.Error)
            {
                continue;
            }

            if (firstError.TryGetValue(masked[i]!, out var first))
            {
                similar[first] = Math.Max(similar[first], 1) + 1;
                continue;
            }

            firstError[masked[i]!] = i;
            for (var j = Math.Max(0, i - Context); j <= Math.Min(n - 1, i + Context); j++)
            {
                keep[j] |= kinds[j] != LogLineKind.PassingTest;
            }

            for (int j = i + 1, frames = 0; j < n && kinds[j] == LogLineKind.StackFrame && frames < MaxStackFrames; j++, frames++)
            {
                keep[j] = true;
            }
        }

        // 5. One representative per template: warnings always, then the biggest templates.
        var cap = Math.Max(20, (int)Math.Round(40 * request.KeepFactor));
        var chosen = miner.Templates
            .Where(t => t.Count > 1 || kinds[t.FirstLine] == LogLineKind.Warning)
            .OrderByDescending(t => kinds[t.FirstLine] == LogLineKind.Warning)
            .ThenByDescending(t => t.Count)
            .ThenBy(t => t.FirstLine)
            .Take(Math.Max(cap, miner.Templates.Count(t => kinds[t.FirstLine] == LogLineKind.Warning)));
        foreach (var t in chosen)
        {
            keep[t.FirstLine] = true;
            if (t.Count > 1)
            {
                similar[t.FirstLine] = t.Count;
            }
        }

        // 6. Write kept lines in order; the marker names the dominant omitted template.
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
            if (similar[i] > 1)
            {
                // The count goes before a CRLF's '\r', so the line still ends the way it did.
                var contentEnd = end > start && input[end - 1] == '\r' ? end - 1 : end;
                builder.Kept(start, contentEnd);
                builder.Summary(string.Create(CultureInfo.InvariantCulture, $" (×{similar[i]:N0} similar)"), start, end);
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
            return builder.Build(lossy: false);
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

        var hash = request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(input);
        builder.Marker(MarkerFormat.Format(omitted, n, MarkerUnit.Lines, detail.Length > 0 ? detail : null, hash), 0, input.Length);
        return builder.Build(lossy: true);
    }

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
