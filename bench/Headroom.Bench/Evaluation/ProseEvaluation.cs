using System.Globalization;
using System.Text;
using System.Text.Json;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// Prose over shared/data/qa: each SQuAD question is asked of its whole article (paragraphs joined by
/// blank lines); the compressed article must still contain one of the ground-truth answers. Prints the
/// keep-the-answer rate versus tokens saved over target ratios, for the default scorer and for a plain
/// BM25 sentence pick, and the time for a 1 MiB input. Args: [--data DIR] [--ratios 0.1,0.2].
/// </summary>
internal static class ProseEvaluation
{
    public static Task<int> RunAsync(string[] args)
    {
        string qa = Path.Combine(EvalData.Root(args), "qa");
        var articles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(qa, "squad_v1.1_dev_articles.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var paragraphs = doc.RootElement.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString() ?? "");
            articles[doc.RootElement.GetProperty("title").GetString()!] = string.Join("\n\n", paragraphs);
        }

        var questions = new List<(string Title, string Question, string[] Answers)>();
        foreach (var line in File.ReadLines(Path.Combine(qa, "squad_v1.1_dev_300.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            questions.Add((r.GetProperty("title").GetString()!, r.GetProperty("question").GetString()!,
                r.GetProperty("answers").EnumerateArray().Select(a => a.GetString() ?? "").ToArray()));
        }

        double[] ratios = (EvalData.Option(args, "--ratios") ?? "0.05,0.1,0.15,0.2,0.25,0.3")
            .Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var tokenizer = O200kTokenizer.Instance;
        var articleTokens = articles.ToDictionary(a => a.Key, a => tokenizer.CountTokens(a.Value), StringComparer.Ordinal);
        var bm25Only = new Bm25SentenceScorer { NeighbourWeight = 0, LeadBonus = 0, ParagraphLeadBonus = 0, SalienceWeight = 0 };
        Console.WriteLine($"prose: {questions.Count} questions over {articles.Count} whole articles (tokens {articleTokens.Values.Min():N0}..{articleTokens.Values.Max():N0})");
        Console.WriteLine("  ratio  | headroom: answers kept  tokens saved | plain BM25 pick: answers kept  tokens saved | headroom + thinning: kept  saved");
        foreach (double ratio in ratios)
        {
            var (keptA, savedA) = Run(new ProseCompressor(new ProseOptions { TargetRatio = ratio }), articles, articleTokens, questions, tokenizer);
            var (keptB, savedB) = Run(new ProseCompressor(new ProseOptions { TargetRatio = ratio }, bm25Only), articles, articleTokens, questions, tokenizer);
            var (keptC, savedC) = Run(new ProseCompressor(new ProseOptions { TargetRatio = ratio, Thin = true }), articles, articleTokens, questions, tokenizer);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ratio,5:F2}  |           {keptA,6:P1}        {savedA,6:P1}   |                 {keptB,6:P1}        {savedB,6:P1}   |              {keptC,6:P1}  {savedC,6:P1}"));
        }

        // 1 MiB of prose: the articles concatenated, compressed 20 times.
        var big = new StringBuilder();
        while (big.Length < 1_048_576)
        {
            foreach (var a in articles.Values.Order(StringComparer.Ordinal))
            {
                big.Append(a).Append("\n\n");
            }
        }

        string text = big.ToString(0, 1_048_576);
        var compressor = new ProseCompressor();
        var request = new CompressionRequest { Query = questions[0].Question };
        compressor.Compress(text, request);
        var cpu = new List<double>();
        var wall = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            var (c, w) = ThreadCpuTime.Measure(() => compressor.Compress(text, request));
            cpu.Add(c);
            wall.Add(w);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  1 MiB prose: thread CPU p50 {EvalData.Percentile(cpu, 0.5):F1} ms  p99 {EvalData.Percentile(cpu, 0.99):F1} ms  (wall p50 {EvalData.Percentile(wall, 0.5):F1} ms  p99 {EvalData.Percentile(wall, 0.99):F1} ms)"));
        return Task.FromResult(0);
    }

    private static (double Kept, double Saved) Run(ProseCompressor compressor, Dictionary<string, string> articles, Dictionary<string, int> articleTokens,
        List<(string Title, string Question, string[] Answers)> questions, O200kTokenizer tokenizer)
    {
        int kept = 0;
        long before = 0, after = 0;
        foreach (var (title, question, answers) in questions)
        {
            string article = articles[title];
            string output = compressor.Compress(article, new CompressionRequest { Query = question }).Output;
            if (answers.Any(a => output.Contains(a, StringComparison.Ordinal)))
            {
                kept++;
            }

            before += articleTokens[title];
            after += tokenizer.CountTokens(output);
        }

        return (kept / (double)questions.Count, 1 - after / (double)before);
    }
}
