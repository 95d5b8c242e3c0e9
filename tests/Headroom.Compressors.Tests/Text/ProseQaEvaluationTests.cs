using System.Text.Json;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Headroom.Compressors.Tokens;
using Xunit;

namespace Headroom.Compressors.Tests.Text;

/// <summary>The prose target over ../shared/data/qa: ≥ 95% of answers kept at ≥ 80% fewer tokens (default ratio).</summary>
public sealed class ProseQaEvaluationTests
{
    [Fact]
    public void DefaultRatio_KeepsAnswersAtEightyPercentFewerTokens()
    {
        string? data = TestData.SharedData();
        Assert.True(data is not null, "shared/data not found next to the repository: clone it next to the shared folder (CI links it as ../shared).");

        var articles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(data, "qa", "squad_v1.1_dev_articles.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            articles[doc.RootElement.GetProperty("title").GetString()!] =
                string.Join("\n\n", doc.RootElement.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()));
        }

        var compressor = new ProseCompressor();
        int kept = 0, total = 0;
        long before = 0, after = 0;
        foreach (var line in File.ReadLines(Path.Combine(data, "qa", "squad_v1.1_dev_300.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string article = articles[r.GetProperty("title").GetString()!];
            string output = compressor.Compress(article, new CompressionRequest { Query = r.GetProperty("question").GetString() }).Output;
            if (r.GetProperty("answers").EnumerateArray().Any(a => output.Contains(a.GetString()!, StringComparison.Ordinal)))
            {
                kept++;
            }

            total++;
            before += O200kTokenizer.Instance.CountTokens(article);
            after += O200kTokenizer.Instance.CountTokens(output);
        }

        Assert.True(kept / (double)total >= 0.95, $"answers kept {kept}/{total}");
        Assert.True(1 - after / (double)before >= 0.80, $"saved {1 - after / (double)before:P1}");
    }
}
