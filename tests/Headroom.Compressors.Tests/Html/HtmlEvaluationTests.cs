using AngleSharp.Html.Parser;
using Headroom.Compressors.Html;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Html;

/// <summary>The HTML targets over ../shared/data/html (Readability's labelled pages): recall ≥ 0.90, F1 ≥ 0.92.</summary>
public sealed class HtmlEvaluationTests
{
    [Fact]
    public void Compress_MeetsRecallAndF1TargetsOnSharedPages()
    {
        string? data = TestData.SharedData();
        Assert.True(data is not null, "shared/data not found next to the repository: clone it next to the shared folder (CI links it as ../shared).");

        var parser = new HtmlParser();
        var compressor = new HtmlCompressor();
        double recall = 0, f1 = 0;
        int pages = 0;
        foreach (var dir in Directory.GetDirectories(Path.Combine(data, "html")).Order(StringComparer.Ordinal))
        {
            string expected = parser.ParseDocument(File.ReadAllText(Path.Combine(dir, "expected.html"))).Body?.TextContent ?? "";
            string output = compressor.Compress(File.ReadAllText(Path.Combine(dir, "source.html")), CompressionRequest.Empty).Output;
            var (_, r, f) = Overlap(Words(output), Words(expected));
            recall += r;
            f1 += f;
            pages++;
        }

        Assert.True(pages > 50);
        Assert.True(recall / pages >= 0.90, $"recall {recall / pages:F3}");
        Assert.True(f1 / pages >= 0.92, $"F1 {f1 / pages:F3}");
    }

    /// <summary>Lower-cased letter/digit runs (CJK characters one each); Markdown link targets and the marker are not text.</summary>
    private static Dictionary<string, int> Words(string text)
    {
        int marker = text.LastIndexOf("[headroom:", StringComparison.Ordinal);
        if (marker >= 0)
        {
            text = text[..marker];
        }

        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ']' && i + 1 < text.Length && text[i + 1] == '(')
            {
                int close = text.IndexOf(')', i);
                i = close < 0 ? text.Length : close + 1;
                continue;
            }

            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            i++;
            while (i < text.Length && char.IsLetterOrDigit(text[i]) && text[start] < '\u2E80' && text[i] < '\u2E80')
            {
                i++;
            }

            string w = text[start..i].ToUpperInvariant();
            bag[w] = bag.GetValueOrDefault(w) + 1;
        }

        return bag;
    }

    private static (double P, double R, double F) Overlap(Dictionary<string, int> output, Dictionary<string, int> expected)
    {
        long overlap = 0;
        foreach (var (w, n) in output)
        {
            overlap += Math.Min(n, expected.GetValueOrDefault(w));
        }

        double p = overlap / (double)Math.Max(1, output.Values.Sum());
        double r = overlap / (double)Math.Max(1, expected.Values.Sum());
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }
}
