namespace Headroom.Bench;

/// <summary>
/// Entry point: `dotnet run -c Release --project bench/Headroom.Bench -- SUITE [args]`.
/// One line per suite; each suite lives in its own folder.
/// </summary>
internal static class BenchMain
{
    private static readonly Dictionary<string, (string Description, Func<string[], Task<int>> Run)> Suites = new(StringComparer.Ordinal)
    {
        ["media-keyframes"] = ("60 s 1080p clip keyframe sampling: wall time vs real time, tokens before/after per provider: media-keyframes [CLIP] [--runs N]", Media.MediaKeyframesBench.RunAsync),
        ["provenance-append"] = ("Provenance store batched append events/s: provenance-append sqlite|postgres [EVENTS] [BATCH]", Provenance.ProvenanceAppendBench.RunAsync),
        ["compression-cache-read"] = ("What a replay-cache miss costs: persisted compression-cache reads in random order: compression-cache-read sqlite|postgres [ENTRIES] [ROUNDS]", Provenance.CompressionCacheReadBench.RunAsync),
        ["provenance-read"] = ("GetRequestProvenanceAsync p50/p99 with 1M events: provenance-read sqlite|postgres [EVENTS] [READS]", Provenance.ProvenanceReadBench.RunAsync),
        ["soak"] = ("Gateway memory over N distinct sessions (distinct tool outputs and names): RSS and GC heap curve, plateau and peak verdicts: " + Soak.SoakOptions.Usage, Soak.SoakBench.RunAsync),
        ["proxy-latency"] = ("Gateway added latency vs direct (A/B interleaved), req/s, TTFB, CPU, peak RSS; --scenario passthrough (default) | agent-request | fresh-compression; proxy-latency --help", Proxy.ProxyLatencyBench.RunAsync),
        ["html-eval"] = ("HTML to Markdown: F1/recall vs expected article, reduction, ms/MB", Evaluation.HtmlEvaluation.RunAsync),
        ["code-eval"] = ("Code skeletons: token reduction, declaration names kept, parse validity, 1 MiB time", Evaluation.CodeEvaluation.RunAsync),
        ["prose-scorers"] = ("Prose scorers bm25 vs MiniLM re-rank vs hybrid: SQuAD + paraphrased answers kept at 80%/90% saved, p50/p99 per 30 KB, memory", Compressors.ProseScorers.ProseScorersEvaluation.RunAsync),
        ["relevance-rankers"] = ("JSON items and grep hits ranked by the question, bm25 vs MiniLM: answers kept at default and roomy budgets, CPU per 30 KB", Compressors.RelevanceRankers.RelevanceRankersEvaluation.RunAsync),
        ["prose-eval"] = ("Prose: SQuAD answers kept vs tokens saved over target ratios, 1 MiB time", Evaluation.ProseEvaluation.RunAsync),
        ["compressors-speed"] = ("BenchmarkDotNet: o200k counting MB/s and 1 MB pipeline time per compressor", Compressors.CompressorsSpeedSuite.RunAsync),
        ["compressors-eval"] = ("Compressors over ../shared/data: detection confusion matrix, saved %, retention, p50/p99, JSON table vs TOON", Compressors.CompressorsEvalSuite.RunAsync),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("usage: Headroom.Bench SUITE [args]");
            foreach (var (name, (description, _)) in Suites.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {name,-22} {description}");
            }

            return 2;
        }

        return await suite.Run(args[1..]).ConfigureAwait(false);
    }
}
