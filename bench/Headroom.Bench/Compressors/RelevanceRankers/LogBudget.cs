using System.Globalization;
using Headroom.Bench.Evaluation;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;

namespace Headroom.Bench.Compressors.RelevanceRankers;

/// <summary>
/// What ranking by the question costs each shared log under the gateway's budget: every loghub log, and two
/// concatenations of the largest (about 1 and 1.3 MB, where the budget gets tight), goes through the pipeline with the
/// log compressor and a ranker, without a question and with its first lexical log question (the OpenStack one for the
/// concatenations), runs interleaved. At production settings (<see cref="PipelineOptions.Default"/>: 50 ms of thread
/// CPU, wall capped at 10x): the compressor's own thread CPU (read around the compressor call inside the pipeline, the
/// clock the budget counts; median of the runs), how many runs went over the budget (original forwarded) and how many
/// skipped or stopped ranking for lack of budget. With an unlimited budget: the CPU ranking costs when nothing stops it.
/// </summary>
internal static class LogBudget
{
    public static void Run(string dataDir, List<RelevanceQuestion> questions, List<(string Label, IRelevanceRanker Ranker)> rankers, int repeats, string? only = null)
    {
        var logs = Directory.GetFiles(Path.Combine(dataDir, "logs"), "*_2k.log", SearchOption.AllDirectories)
            .Select(f => (Name: Path.GetFileName(f), Text: File.ReadAllText(f)))
            .OrderBy(l => l.Text.Length).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();
        string Of(string name) => logs.Single(l => l.Name == name).Text;
        var openStack = questions.FirstOrDefault(q => q.Source == "OpenStack_2k.log")?.Question;
        logs.Add(("OpenStack+Hadoop", Of("OpenStack_2k.log") + Of("Hadoop_2k.log")));
        logs.Add(("OpenStack+Hadoop+Mac", Of("OpenStack_2k.log") + Of("Hadoop_2k.log") + Of("Mac_2k.log")));
        if (only is not null)
        {
            logs = [.. logs.Where(l => only.Split(',').Any(p => l.Name.StartsWith(p, StringComparison.Ordinal)))];
        }

        var production = PipelineOptions.Default;
        var unlimited = production with { TimeBudget = EvaluationSettings.Unlimited };
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"log budget: {logs.Count} logs of {dataDir}/logs (13 loghub logs + 2 concatenations) through the pipeline (forced type log) at production settings (budget {production.TimeBudget.TotalMilliseconds:F0} ms thread CPU, wall cap {production.WallCapFactor:F0}x, KeepFactor 1) and unlimited; {repeats} runs per log, ranker and question state, interleaved; load average {RelevanceRankersEvaluation.LoadAverage()} at start"));
        Console.WriteLine("CPU = median thread CPU of the log compressor call in the pipeline, ms (50 ms = production, unl. = unlimited budget); over = production runs over the budget (original forwarded); skip = production runs that did not rank for lack of budget");
        foreach (var (label, ranker) in rankers)
        {
            var measured = new CpuMeasured(new LogCompressor(ranker: ranker));
            var registry = CompressorRegistry.CreateDefault().Add(ContentType.Log, measured);
            var pipelines = new[] { new CompressionPipeline(registry, production), new CompressionPipeline(registry, unlimited) };
            Console.WriteLine();
            Console.WriteLine($"ranker: {label}");
            Console.WriteLine($"{"log",-22}{"KB",6}{"50 ms no q.",13}{"50 ms q.",10}{"Δ",6}{"unl. no q.",12}{"unl. q.",9}{"Δ",6}{"over no q.",12}{"over q.",9}{"skip",6}{"ranked",8}  scorer (unlimited, with the question)");
            var totals = (Over: 0, OverWithQuestion: 0, Newly: 0);
            foreach (var (name, text) in logs)
            {
                var question = questions.FirstOrDefault(q => q.Source == name)?.Question ?? openStack ?? "why did it fail?";
                var states = new[] { CompressionRequest.Empty, new CompressionRequest { Query = question } };
                foreach (var request in states)
                {
                    pipelines[1].Compress(text, request, ContentType.Log); // JIT and caches, not measured
                }

                // cpu[pipeline][state]
                var cpu = new[] { new[] { new List<double>(), new List<double>() }, new[] { new List<double>(), new List<double>() } };
                var over = new int[2];
                var skipped = 0;
                string? scorer = null;
                var ranked = "";
                for (var r = 0; r < repeats; r++)
                {
                    for (var s = 0; s < states.Length; s++)
                    {
                        var result = pipelines[0].Compress(text, states[s], ContentType.Log);
                        cpu[0][s].Add(measured.LastCpuMs);
                        over[s] += result.Reason?.Contains("time budget", StringComparison.Ordinal) == true ? 1 : 0;
                        skipped += result.ScorerFallback is { } why && (why.StartsWith("not ranked", StringComparison.Ordinal) || why.StartsWith("ranking stopped", StringComparison.Ordinal)) ? 1 : 0;
                        var roomy = pipelines[1].Compress(text, states[s], ContentType.Log);
                        cpu[1][s].Add(measured.LastCpuMs);
                        if (s == 1)
                        {
                            scorer = roomy.Scorer ?? "none";
                            scorer += roomy.ScorerFallback is { } fallback ? $" (fell back: {fallback[..Math.Min(fallback.Length, 40)]})" : "";
                            ranked = RankedCount(roomy.Output);
                        }
                    }
                }

                double Median(int p, int s) => EvalData.Percentile(cpu[p][s], 0.5);
                totals = (totals.Over + (over[0] > 0 ? 1 : 0), totals.OverWithQuestion + (over[1] > 0 ? 1 : 0), totals.Newly + (over[1] > 0 && over[0] == 0 ? 1 : 0));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-22}{text.Length / 1024,6}{Median(0, 0),13:F1}{Median(0, 1),10:F1}{Median(0, 1) - Median(0, 0),6:F1}{Median(1, 0),12:F1}{Median(1, 1),9:F1}{Median(1, 1) - Median(1, 0),6:F1}{$"{over[0]}/{repeats}",12}{$"{over[1]}/{repeats}",9}{$"{skipped}/{repeats}",6}{ranked,8}  {scorer}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"logs with a run over budget: {totals.Over} without a question, {totals.OverWithQuestion} with; {totals.Newly} over only with the question; load average {RelevanceRankersEvaluation.LoadAverage()}"));
        }
    }

    // "; 3 query-ranked lines kept" in the marker, read from the output's text.
    private static string RankedCount(string output)
    {
        var at = output.LastIndexOf(" query-ranked lines kept", StringComparison.Ordinal);
        if (at < 0)
        {
            return "0";
        }

        var start = output.LastIndexOf(' ', at - 1) + 1;
        return output[start..at];
    }

    /// <summary>The log compressor with the thread CPU of its last call recorded (the clock the pipeline's budget counts).</summary>
    private sealed class CpuMeasured(ICompressor inner) : ICompressor
    {
        public string Name => inner.Name;

        public int Version => inner.Version;

        public double LastCpuMs { get; private set; }

        public CompressorOutput Compress(string input, CompressionRequest request)
        {
            var start = ThreadCpuTime.NowMs();
            try
            {
                return inner.Compress(input, request);
            }
            finally
            {
                LastCpuMs = ThreadCpuTime.NowMs() - start;
            }
        }
    }
}
