using System.Globalization;
using System.Text;
using AngleSharp.Html.Parser;
using Headroom.Compressors.Html;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// HTML → Markdown over shared/data/html: bag-of-words precision/recall/F1 of the expected article
/// text (Readability's hand-checked expected.html), token reduction versus the source page (o200k),
/// time per MB. Also prints the strip-all-tags baseline. Args: [--data DIR] [--verbose].
/// </summary>
internal static class HtmlEvaluation
{
    public static Task<int> RunAsync(string[] args)
    {
        string dir = Path.Combine(EvalData.Root(args), "html");
        bool verbose = args.Contains("--verbose");
        string? only = EvalData.Option(args, "--page");
        var compressor = new HtmlCompressor();
        var tokenizer = O200kTokenizer.Instance;
        var parser = new HtmlParser();
        double sp = 0, sr = 0, sf = 0, bp = 0, br = 0, bf = 0;
        long srcTokens = 0, outTokens = 0, baseTokens = 0;
        var msPerMb = new List<double>();
        var bigPages = new List<string>();
        int pages = 0;
        double worstMs = 0;
        string worstPage = "";
        foreach (var pageDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(pageDir);
            if (only is not null && name != only)
            {
                continue;
            }

            string source = File.ReadAllText(Path.Combine(pageDir, "source.html"));
            string expectedHtml = File.ReadAllText(Path.Combine(pageDir, "expected.html"));
            var expected = WordBag.Of(parser.ParseDocument(expectedHtml).Body?.TextContent ?? "");

            var request = CompressionRequest.Empty;
            string output = compressor.Compress(source, request).Output;

            // Timing: warm, then the median thread CPU time of 5 runs.
            var times = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                times.Add(ThreadCpuTime.Measure(() => compressor.Compress(source, request)).Cpu);
            }

            double ms = EvalData.Percentile(times, 0.5);
            double mb = Encoding.UTF8.GetByteCount(source) / 1_048_576.0;
            if (mb >= 0.1)
            {
                msPerMb.Add(ms / mb); // small pages measure fixed overhead, not throughput
            }

            if (mb >= 0.95)
            {
                // Pages of about 1 MB and more: 20 runs, thread CPU time (wall time is inflated on a shared machine).
                var cpu = new List<double>();
                var wall = new List<double>();
                for (int i = 0; i < 20; i++)
                {
                    var (c, w) = ThreadCpuTime.Measure(() => compressor.Compress(source, request));
                    cpu.Add(c);
                    wall.Add(w);
                }

                bigPages.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({mb:F2} MiB) CPU p50 {EvalData.Percentile(cpu, 0.5):F1} ms p99 {EvalData.Percentile(cpu, 0.99):F1} ms (wall p50 {EvalData.Percentile(wall, 0.5):F1} p99 {EvalData.Percentile(wall, 0.99):F1})"));
            }
            if (ms > worstMs)
            {
                worstMs = ms;
                worstPage = name;
            }

            var (p, r, f) = WordBag.Score(WordBag.Of(StripMarkdown(output)), expected);
            string baseline = StripTags(parser, source);
            var (p0, r0, f0) = WordBag.Score(WordBag.Of(baseline), expected);
            int st = tokenizer.CountTokens(source);
            int ot = tokenizer.CountTokens(output);
            srcTokens += st;
            outTokens += ot;
            baseTokens += tokenizer.CountTokens(baseline);
            sp += p; sr += r; sf += f; bp += p0; br += r0; bf += f0;
            pages++;
            if (verbose || only is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-45} P {p:F3} R {r:F3} F1 {f:F3}  tokens {st,7} -> {ot,6} ({1 - ot / (double)st:P1})  {ms,6:F1} ms"));
            }

            if (only is not null)
            {
                Console.WriteLine(output);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"html: {pages} pages"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  headroom  P {sp / pages:F3}  R {sr / pages:F3}  F1 {sf / pages:F3}  reduction {1 - outTokens / (double)srcTokens:P1} ({srcTokens:N0} -> {outTokens:N0} tokens)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  strip-tags P {bp / pages:F3}  R {br / pages:F3}  F1 {bf / pages:F3}  reduction {1 - baseTokens / (double)srcTokens:P1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  time per MB (pages >= 100 KiB) p50 {EvalData.Percentile(msPerMb, 0.5):F1} ms  p99 {EvalData.Percentile(msPerMb, 0.99):F1} ms; slowest page {worstPage} {worstMs:F1} ms"));
        foreach (var line in bigPages)
        {
            Console.WriteLine("  " + line);
        }
        return Task.FromResult(0);
    }

    /// <summary>Markdown back to text for word scoring: link targets, heading/list/table/quote syntax removed.</summary>
    internal static string StripMarkdown(string markdown)
    {
        var sb = new StringBuilder(markdown.Length);
        int i = 0;
        while (i < markdown.Length)
        {
            if (markdown[i] == ']' && i + 1 < markdown.Length && markdown[i + 1] == '(')
            {
                int close = markdown.IndexOf(')', i + 2);
                if (close > 0)
                {
                    i = close + 1;
                    continue;
                }
            }

            if (markdown.AsSpan(i).StartsWith("[headroom:", StringComparison.Ordinal))
            {
                int end = markdown.IndexOf(']', i);
                i = end < 0 ? markdown.Length : end + 1;
                continue;
            }

            char c = markdown[i];
            sb.Append(c is '#' or '|' or '`' or '>' or '[' or ']' ? ' ' : c);
            i++;
        }

        return sb.ToString().Replace(" --- ", " ", StringComparison.Ordinal);
    }

    private static string StripTags(HtmlParser parser, string source)
    {
        var doc = parser.ParseDocument(source);
        foreach (var el in doc.QuerySelectorAll("script, style, noscript, template").ToArray())
        {
            el.Remove();
        }

        var text = doc.Body?.TextContent ?? "";
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
