using System.Globalization;
using System.Text.Json;
using Headroom.Bench.Evaluation;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.MiniLm;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Search;

namespace Headroom.Bench.Compressors.RelevanceRankers;

/// <summary>
/// BM25 vs MiniLM ranking of JSON array items, grep hits and cut log lines by the question: each question's answer lives in
/// one ordinary item, hit or log line the compressor cuts without a question (<see cref="RelevanceQuestions"/>); the JSON,
/// search or log compressor runs with the ranker at its default options (the models' 35 ms gate) and with a roomy budget;
/// the answer must survive. Also the thread CPU per 30 KB of JSON and grep input (p50/p99), whether two runs give the same
/// bytes, and what ranking costs the logs under the production budget (<see cref="LogBudget"/>).
/// Args: [--data DIR] [--threads 1] [--wide 64] (candidates MiniLM re-scores in the roomy rows) [--only LABEL-PREFIX] [--show-misses] (written to TMP/relevance-miss-*.out)
/// [--repeats 5] (runs per log and question state in the budget table) [--budget-logs PREFIX,PREFIX] (only those logs there) [--no-log-budget].
/// </summary>
internal static class RelevanceRankersEvaluation
{
    public static Task<int> RunAsync(string[] args)
    {
        // 1. Question sets.
        var data = EvalData.Root(args);
        var lexical = RelevanceQuestions.Json(data).Concat(RelevanceQuestions.Grep(data)).Concat(RelevanceQuestions.Logs(data)).ToList();
        var paraphrased = Paraphrased(lexical);
        int threads = int.Parse(EvalData.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        int wide = int.Parse(EvalData.Option(args, "--wide") ?? "64", CultureInfo.InvariantCulture);
        var show = args.Contains("--show-misses");
        var only = EvalData.Option(args, "--only");

        if (args.Contains("--list"))
        {
            foreach (var q in lexical)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { id = q.Id, question = q.Question, kept = q.Answer[..Math.Min(q.Answer.Length, 160)] }));
            }

            return Task.FromResult(0);
        }

        // 2. Rankers: BM25, and MiniLM at the defaults and with room.
        var encoder = MiniLmEncoder.Load(threads);
        var defaults = ModelScorerOptions.Default with { IntraOpThreads = threads };
        var roomy = defaults with { Budget = TimeSpan.FromMinutes(5) };
        var rankers = new List<(string Label, IRelevanceRanker Ranker)>
        {
            ("none (every score 0: selection alone)", new NoRanking()),
            ("bm25 (default)", Bm25RelevanceRanker.Instance),
            ($"minilm hybrid, defaults (K={defaults.Candidates}, {defaults.Budget.TotalMilliseconds:F0} ms)", new MiniLmReranker(encoder, defaults).RelevanceRanker()),
            ($"minilm-rerank, defaults (K={defaults.Candidates}, {defaults.Budget.TotalMilliseconds:F0} ms)", new MiniLmReranker(encoder, defaults with { Mode = RerankMode.Rerank }).RelevanceRanker()),
            ($"minilm-rerank, K={defaults.Candidates}, no budget", new MiniLmReranker(encoder, roomy with { Mode = RerankMode.Rerank }).RelevanceRanker()),
            ($"minilm-rerank, K={wide}, no budget", new MiniLmReranker(encoder, roomy with { Mode = RerankMode.Rerank, Candidates = wide }).RelevanceRanker()),
            ($"minilm hybrid, K={wide}, no budget", new MiniLmReranker(encoder, roomy with { Candidates = wide }).RelevanceRanker()),
        };

        Console.WriteLine($"relevance-rankers: {lexical.Count(q => q.Kind == "json")} JSON, {lexical.Count(q => q.Kind == "grep")} grep and {lexical.Count(q => q.Kind == "log")} log questions built from {data} (rules in RelevanceQuestions), {paraphrased.Count} of them paraphrased (paraphrased.jsonl)");
        Console.WriteLine($"settings: compressors called directly with default KeepFactor 1 (JSON keeps 3 query-ranked ordinary items, grep 4 hits per file / 25 files, logs {LogCompressor.DefaultRankedLines} query-ranked cut lines); MiniLM {threads} intra-op thread, max {defaults.MaxSentenceTokens} word pieces per candidate; load average {LoadAverage()} on {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"ranker",-44}{"JSON",8}{"grep",8}{"log",8}{"JSON para.",12}{"grep para.",12}{"log para.",12}{"fell back",11}{"CPU/30KB p50/p99 ms",22}{"same bytes",12}");
        foreach (var (label, ranker) in rankers.Where(r => only is null || r.Label.StartsWith(only, StringComparison.Ordinal)))
        {
            var cpu = new List<double>();
            int fellBack = 0, decisions = 0;
            var deterministic = true;
            string Kept(IReadOnlyList<RelevanceQuestion> set, string kind)
            {
                var asked = set.Where(q => q.Kind == kind).ToList();
                var kept = 0;
                foreach (var q in asked)
                {
                    ICompressor compressor = kind switch { "json" => new JsonCompressor(ranker), "grep" => new SearchCompressor(ranker), _ => new LogCompressor(ranker: ranker) };
                    var request = new CompressionRequest { Query = q.Question, OriginalHash = ContentHash.Compute(q.Input) };
                    CompressorOutput? output = null;
                    var (used, _) = ThreadCpuTime.Measure(() => output = compressor.Compress(q.Input, request));
                    if (kind != "log")
                    {
                        cpu.Add(used * 30_000 / q.Input.Length);
                    }

                    decisions++;
                    fellBack += output!.ScorerFallback is null ? 0 : 1;
                    // A log line counts only whole: the same text inside a longer line or a note is not the line.
                    var survived = kind == "log" ? RelevanceQuestions.HasLine(output.Output, q.Answer) : output.Output.Contains(q.Answer, StringComparison.Ordinal);
                    kept += survived ? 1 : 0;
                    if (show && !survived)
                    {
                        Console.WriteLine($"  missed {q.Id}: {q.Question} → {q.Answer}; scorer {output.Scorer} {output.ScorerFallback}; {output.Output.Length} chars out");
                        File.WriteAllText(Path.Combine(Path.GetTempPath(), "relevance-miss-" + q.Id.Replace('#', '-') + ".out"), output.Output);
                    }
                    if (ranker is Bm25RelevanceRanker && compressor.Compress(q.Input, request).Output != output.Output)
                    {
                        deterministic = false;
                    }
                }

                return asked.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{kept}/{asked.Count}");
            }

            var cells = new[] { Kept(lexical, "json"), Kept(lexical, "grep"), Kept(lexical, "log"), Kept(paraphrased, "json"), Kept(paraphrased, "grep"), Kept(paraphrased, "log") };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-44}{cells[0],8}{cells[1],8}{cells[2],8}{cells[3],12}{cells[4],12}{cells[5],12}{$"{fellBack}/{decisions}",11}{$"{EvalData.Percentile(cpu, 0.5):F1}/{EvalData.Percentile(cpu, 0.99):F1}",22}{(ranker is Bm25RelevanceRanker ? (deterministic ? "yes" : "NO") : ""),12}"));
        }

        Console.WriteLine();
        Console.WriteLine("kept = the answer item's clue value (only that item holds it), the hit's path:line: and first 80 chars, or the whole log line are in the output; fell back = decisions the MiniLM gate left to BM25 (over budget, busy, stopped).");
        if (!args.Contains("--no-log-budget"))
        {
            LogBudget.Run(data, lexical.Where(q => q.Kind == "log").ToList(), rankers.Where(r => r.Ranker is Bm25RelevanceRanker || r.Label.StartsWith("minilm hybrid, defaults", StringComparison.Ordinal)).ToList(),
                int.Parse(EvalData.Option(args, "--repeats") ?? "5", CultureInfo.InvariantCulture), EvalData.Option(args, "--budget-logs"));
        }

        return Task.FromResult(0);
    }

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    // The committed paraphrases: {"id": "<file>#<index>", "question": "..."} for questions of the lexical set.
    private static List<RelevanceQuestion> Paraphrased(List<RelevanceQuestion> lexical)
    {
        string? path = null;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null && path is null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "Headroom.Bench", "Compressors", "RelevanceRankers", "paraphrased.jsonl");
                path = File.Exists(candidate) ? candidate : null;
            }
        }

        if (path is null)
        {
            Console.WriteLine("paraphrased.jsonl not found above the working or bench directory: paraphrased columns not measured");
            return [];
        }

        var byId = lexical.ToDictionary(q => q.Id, StringComparer.Ordinal);
        var result = new List<RelevanceQuestion>();
        foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var q = byId[doc.RootElement.GetProperty("id").GetString()!];
            result.Add(q with { Question = doc.RootElement.GetProperty("question").GetString()! });
        }

        return result;
    }

    /// <summary>The baseline: no candidate is relevant, so only the selection's own picks stay.</summary>
    private sealed class NoRanking : IRelevanceRanker
    {
        public string Name => "none";

        public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request) => new(new double[candidates.Count], Name, null);
    }
}
