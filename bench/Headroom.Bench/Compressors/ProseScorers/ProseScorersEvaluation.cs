using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Headroom.Bench.Evaluation;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.MiniLm;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Compressors.ProseScorers;

/// <summary>
/// bm25 vs MiniLM re-rank vs hybrid on prose: each question is asked of a ~30 KB window of its
/// SQuAD article (whole paragraphs around the one holding the answer); the output must still contain a
/// ground-truth answer. Two sets: the shared SQuAD split as asked, and the committed paraphrase set
/// (questions reworded away from the answer's words). Reports answers kept at ~80% and ~90% saved,
/// the model's latency per 30 KB (p50/p99), how often the default budget would have fallen back, and
/// the memory the model adds. Args: [--data DIR] [--ratios 0.2,0.1] [--candidates 12] [--threads 1].
/// </summary>
internal static class ProseScorersEvaluation
{
    private const int WindowChars = 30_000;

    public static Task<int> RunAsync(string[] args)
    {
        // 1. Data.
        string qa = Path.Combine(EvalData.Root(args), "qa");
        var articles = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(qa, "squad_v1.1_dev_articles.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            articles[doc.RootElement.GetProperty("title").GetString()!] = [.. doc.RootElement.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString() ?? "")];
        }

        var squad = new List<Item>();
        foreach (var line in File.ReadLines(Path.Combine(qa, "squad_v1.1_dev_300.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string title = r.GetProperty("title").GetString()!;
            squad.Add(new Item(
                r.GetProperty("id").GetString()!,
                r.GetProperty("question").GetString()!,
                [.. r.GetProperty("answers").EnumerateArray().Select(a => a.GetString() ?? "")],
                Window(articles[title], r.GetProperty("paragraph_index").GetInt32()),
                r.GetProperty("context").GetString()!));
        }

        var byId = squad.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var paraphrased = new List<Item>();
        foreach (var line in File.ReadLines(ParaphrasePath()))
        {
            using var doc = JsonDocument.Parse(line);
            var item = byId[doc.RootElement.GetProperty("id").GetString()!];
            paraphrased.Add(item with { Question = doc.RootElement.GetProperty("paraphrase").GetString()! });
        }

        double[] ratios = (EvalData.Option(args, "--ratios") ?? "0.2,0.1").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int candidates = int.Parse(EvalData.Option(args, "--candidates") ?? "12", CultureInfo.InvariantCulture);
        int threads = int.Parse(EvalData.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);

        // 2. The model, and what it costs to hold.
        GC.Collect();
        long managedBefore = GC.GetTotalMemory(true);
        long rssBefore = Environment.WorkingSet;
        var load = Stopwatch.StartNew();
        var unbounded = new ModelScorerOptions { Budget = TimeSpan.FromMinutes(10), Candidates = candidates, IntraOpThreads = threads };
        using var rerank = new MiniLmReranker(MiniLmEncoder.Load(threads), unbounded with { Mode = RerankMode.Rerank });
        double loadMs = load.Elapsed.TotalMilliseconds;
        using var hybrid = new MiniLmReranker(MiniLmEncoder.Load(threads), unbounded with { Mode = RerankMode.Hybrid });
        GC.Collect();
        long managedAfter = GC.GetTotalMemory(true);
        long rssAfter = Environment.WorkingSet;

        var defaults = ModelScorerOptions.Default;
        Console.WriteLine($"prose-scorers: {squad.Count} SQuAD questions and {paraphrased.Count} paraphrased ones, each over a ~{WindowChars / 1000} KB window of its article");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  settings: MiniLM all-MiniLM-L6-v2 (ONNX Runtime direct, intra-op threads {threads}, sequential), candidates {candidates} from BM25, {unbounded.MaxSentenceTokens} word pieces per sentence, hybrid weight {unbounded.HybridWeight}; quality runs without a time limit; default budget {defaults.Budget.TotalMilliseconds:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  word overlap with the answer's sentence (content words): SQuAD {Overlap(squad):F1}, paraphrased {Overlap(paraphrased):F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  model load {loadMs:F0} ms, measured {rerank.MsPerToken:F3} ms per token; memory added per loaded model: managed {(managedAfter - managedBefore) / 2 / 1048576.0:F0} MiB, RSS {(rssAfter - rssBefore) / 2 / 1048576.0:F0} MiB"));

        // 3. Quality.
        var scorers = new (string Name, ISentenceScorer Scorer)[] { ("bm25", new Bm25SentenceScorer()), ("minilm re-rank", rerank), ("hybrid", hybrid) };
        foreach (var (setName, set) in new[] { ("SQuAD", squad), ("paraphrased", paraphrased) })
        {
            Console.WriteLine($"  {setName}: answers kept (tokens saved)");
            foreach (double ratio in ratios)
            {
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"    target ratio {ratio:F2} |"));
                foreach (var (name, scorer) in scorers)
                {
                    var (kept, saved) = Quality(new ProseCompressor(new ProseOptions { TargetRatio = ratio }, scorer), set);
                    line.Append(string.Create(CultureInfo.InvariantCulture, $"  {name}: {kept,6:P1} ({saved:P1})"));
                }

                Console.WriteLine(line);
            }
        }

        // 4. Latency per 30 KB and the fallback rate under the default budget.
        var inputs = squad.Where(i => i.Window.Length >= WindowChars * 0.9).Take(100).ToList();
        foreach (var (name, scorer) in scorers)
        {
            var compressor = new ProseCompressor(ProseOptions.Default, scorer);
            var wall = new List<double>();
            foreach (var item in inputs)
            {
                var watch = Stopwatch.StartNew();
                compressor.Compress(item.Window, new CompressionRequest { Query = item.Question });
                wall.Add(watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: compress {inputs.Count} windows of >= 27 KB: p50 {EvalData.Percentile(wall, 0.5):F1} ms  p99 {EvalData.Percentile(wall, 0.99):F1} ms"));
        }

        using var budgeted = new MiniLmReranker(MiniLmEncoder.Load(threads), defaults with { Candidates = candidates, IntraOpThreads = threads });
        var budgetedCompressor = new ProseCompressor(ProseOptions.Default, budgeted);
        int fellBack = 0;
        foreach (var item in inputs)
        {
            if (budgetedCompressor.Compress(item.Window, new CompressionRequest { Query = item.Question }).ScorerFallback is not null)
            {
                fellBack++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  under the default {defaults.Budget.TotalMilliseconds:F0} ms model budget: {fellBack} of {inputs.Count} outputs fell back to bm25 (estimate {budgeted.MsPerToken:F3} ms/token)"));
        return Task.FromResult(0);
    }

    private sealed record Item(string Id, string Question, string[] Answers, string Window, string Context);

    /// <summary>The answer's paragraph, then paragraphs after and before it in turn, until ~30 KB.</summary>
    private static string Window(string[] paragraphs, int index)
    {
        int first = index, last = index, length = paragraphs[index].Length;
        for (bool after = true; length < WindowChars && (first > 0 || last < paragraphs.Length - 1); after = !after)
        {
            if (after && last < paragraphs.Length - 1)
            {
                length += paragraphs[++last].Length + 2;
            }
            else if (!after && first > 0)
            {
                length += paragraphs[--first].Length + 2;
            }
        }

        return string.Join("\n\n", paragraphs[first..(last + 1)]);
    }

    private static (double Kept, double Saved) Quality(ProseCompressor compressor, List<Item> items)
    {
        var tokenizer = O200kTokenizer.Instance;
        int kept = 0;
        long before = 0, after = 0;
        foreach (var item in items)
        {
            string output = compressor.Compress(item.Window, new CompressionRequest { Query = item.Question }).Output;
            kept += item.Answers.Any(a => output.Contains(a, StringComparison.Ordinal)) ? 1 : 0;
            before += tokenizer.CountTokens(item.Window);
            after += tokenizer.CountTokens(output);
        }

        return (kept / (double)items.Count, 1 - after / (double)before);
    }

    /// <summary>Mean count of the question's content words also found in the sentence holding the answer.</summary>
    private static double Overlap(List<Item> items)
    {
        double sum = 0;
        foreach (var item in items)
        {
            int at = item.Context.IndexOf(item.Answers[0], StringComparison.Ordinal);
            var sentence = SentenceSplitter.Split(item.Context).FirstOrDefault(s => s.Start <= at && at < s.End);
            var words = QueryTerms.Parse(item.Context[sentence.Start..sentence.End]).Words.Select(w => WordStemmer.Stem(w)).ToHashSet(StringComparer.Ordinal);
            sum += QueryTerms.Parse(item.Question).Words.Select(w => WordStemmer.Stem(w)).Distinct(StringComparer.Ordinal).Count(words.Contains);
        }

        return sum / items.Count;
    }

    private static string ParaphrasePath()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "Headroom.Bench", "Compressors", "ProseScorers", "paraphrase-questions.jsonl");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("bench/Headroom.Bench/Compressors/ProseScorers/paraphrase-questions.jsonl not found; run from the repository.");
    }
}
