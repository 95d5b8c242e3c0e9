using System.Globalization;
using System.Text.Json;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Json;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Compressors;

/// <summary>
/// Runs detection and every registered compressor over the labelled set from ../shared/data and
/// prints: the detection confusion matrix, per-type tokens before/after, saved %, retention of what
/// must survive and p50/p99 compressor time, and the lossless JSON table form against TOON.
/// Each sample goes through the real pipeline (guards included) with its labelled type forced, so
/// a detection mistake does not hide a compressor's figures.
/// </summary>
internal static class CompressorEvaluation
{
    public static IReadOnlyList<TypeFigures> Run(string dataDir, string? codeDir, string? repoDir, TextWriter w)
    {
        var samples = EvalCorpus.Load(dataDir, codeDir, repoDir);
        w.WriteLine($"{samples.Count} labelled samples from {dataDir}{(codeDir is null ? "" : " + " + codeDir)} (logs in 200-line and grep in 100-line windows)");
        Detection(samples, w);
        var figures = Compression(EvalCorpus.Load(dataDir, codeDir, repoDir, windows: false), w);
        Toon(dataDir, w);
        return figures;
    }

    private static void Detection(IReadOnlyList<EvalSample> samples, TextWriter w)
    {
        var types = Enum.GetValues<ContentType>().Where(t => t != ContentType.Mixed).ToArray();
        var matrix = new int[types.Length, types.Length];
        int correct = 0, codeSamples = 0, languageCorrect = 0;
        var mistakes = new List<string>();
        foreach (var s in samples)
        {
            var got = ContentDetector.Detect(s.Text);
            matrix[Array.IndexOf(types, s.Label), Math.Max(0, Array.IndexOf(types, got.Type))]++;
            if (got.Type == s.Label)
            {
                correct++;
            }
            else
            {
                mistakes.Add($"  {s.Name}: {s.Label} → {got.Type}");
            }

            if (s.Label == ContentType.Code && s.Language is not null)
            {
                codeSamples++;
                languageCorrect += got.Language == s.Language ? 1 : 0;
            }
        }

        w.WriteLine();
        w.WriteLine("Detection confusion matrix (rows = label, columns = detected)");
        w.WriteLine($"{"",-8}" + string.Concat(types.Select(t => $"{t,8}")));
        for (var r = 0; r < types.Length; r++)
        {
            w.WriteLine($"{types[r],-8}" + string.Concat(Enumerable.Range(0, types.Length).Select(c => $"{matrix[r, c],8}")));
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {100.0 * correct / samples.Count:F1}% ({correct}/{samples.Count}); code language {languageCorrect}/{codeSamples}"));
        foreach (var m in mistakes.Take(20))
        {
            w.WriteLine(m);
        }
    }

    private static List<TypeFigures> Compression(IReadOnlyList<EvalSample> samples, TextWriter w)
    {
        // Warm up JIT and regex construction so p99 measures steady state, as in the gateway.
        var pipeline = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(10) });
        foreach (var s in samples.GroupBy(s => s.Label).Select(g => g.First()))
        {
            pipeline.Compress(s.Text, new CompressionRequest { Query = s.Query }, s.Label);
        }

        var figures = new List<TypeFigures>();
        int searchHitsMust = 0, searchHitsKept = 0;
        w.WriteLine();
        w.WriteLine($"{"type",-9}{"samples",8}{"compr.",7}{"tokens before",15}{"tokens after",14}{"saved %",9}{"retention",11}{"p50 ms",8}{"p99 ms",8}  compressor");
        var groups = samples.GroupBy(s => s.Label).OrderBy(g => g.Key).Select(g => (Name: g.Key.ToString(), Type: g.Key, Items: g.ToList())).ToList();
        groups.Insert(groups.FindIndex(g => g.Type == ContentType.Json) + 1, ("Json≥100", ContentType.Json, samples.Where(s => s.Label == ContentType.Json && LargestArray(s.Text) >= 100).ToList()));
        foreach (var group in groups)
        {
            long before = 0, after = 0;
            int must = 0, kept = 0, compressed = 0;
            var times = new List<double>();
            string compressor = "none";
            foreach (var s in group.Items)
            {
                var cpu = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() : TimeSpan.Zero;
                var result = pipeline.Compress(s.Text, new CompressionRequest { Query = s.Query }, s.Label);
                var used = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() - cpu : result.Elapsed;
                before += result.TokensBefore;
                after += result.TokensAfter;
                compressed += result.Compressed ? 1 : 0;
                compressor = result.Compressor != "none" ? result.Compressor : compressor;
                times.Add(used.TotalMilliseconds);
                var (m, k) = Retention.Measure(s, result.Output);
                must += m;
                kept += k;
                if (s.Label == ContentType.Search)
                {
                    var (hm, hk) = Retention.SearchHits(s.Text, s.Query, result.Output);
                    searchHitsMust += hm;
                    searchHitsKept += hk;
                }
            }

            times.Sort();
            var f = new TypeFigures(group.Type, group.Items.Count, compressed, before, after, must, kept, Percentile(times, 0.5), Percentile(times, 0.99));
            if (group.Name == group.Type.ToString())
            {
                figures.Add(f);
            }

            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Name,-9}{f.Samples,8}{f.Compressed,7}{f.TokensBefore,15:N0}{f.TokensAfter,14:N0}{f.SavedPercent,9:F1}{(f.MustKeep == 0 ? "-" : f.RetentionPercent.ToString("F1", CultureInfo.InvariantCulture) + "%"),11}{f.P50Ms,8:F2}{f.P99Ms,8:F2}  {compressor}"));
        }

        w.WriteLine("retention: log = distinct error/alert messages with a verbatim line; json = query-matching and error items with all top-level values;");
        w.WriteLine("           diff = +/- lines verbatim; search = files with hits still named" +
            string.Create(CultureInfo.InvariantCulture, $" (query-matching hit lines kept verbatim: {searchHitsKept}/{searchHitsMust})."));
        w.WriteLine("compr. = samples the pipeline returned compressed (the rest failed a guard: < 500 chars, < 10% saved, ...).");
        w.WriteLine("p50/p99 = thread CPU time of the whole pipeline call per sample (detection forced; hashing, token counts, compressor, guards).");
        return figures;
    }

    private static void Toon(string dataDir, TextWriter w)
    {
        var baselinePath = Path.Combine(AppContext.BaseDirectory, "toon-baseline.json");
        if (!File.Exists(baselinePath))
        {
            w.WriteLine($"(no TOON baseline at {baselinePath})");
            return;
        }

        using var baseline = JsonDocument.Parse(File.ReadAllText(baselinePath));
        var compressor = new JsonCompressor();
        var lossless = new CompressionRequest { KeepFactor = 100_000 };
        long json = 0, toon = 0, ours = 0;
        int wins = 0, rows = 0;
        w.WriteLine();
        w.WriteLine($"Lossless table form vs TOON on the largest array of each JSON file (o200k tokens)");
        w.WriteLine($"{"file",-50}{"items",7}{"JSON",9}{"TOON",9}{"headroom",10}");
        foreach (var row in baseline.RootElement.GetProperty("rows").EnumerateArray())
        {
            var file = row.GetProperty("file").GetString()!;
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDir, "json", file)));
            var element = doc.RootElement;
            foreach (var step in row.GetProperty("path").EnumerateArray())
            {
                element = step.ValueKind == JsonValueKind.Number ? element[step.GetInt32()] : element.GetProperty(step.GetString()!);
            }

            var output = compressor.Compress(element.GetRawText(), lossless);
            if (output.Lossy)
            {
                throw new InvalidOperationException("The lossless run dropped items.");
            }

            var t = O200kTokenizer.Instance.CountTokens(output.Output);
            var j = row.GetProperty("jsonTokens").GetInt32();
            var o = row.GetProperty("toonTokens").GetInt32();
            json += j;
            toon += o;
            ours += t;
            rows++;
            wins += t < o ? 1 : 0;
            w.WriteLine($"{file,-50}{row.GetProperty("items").GetInt32(),7}{j,9}{o,9}{t,10}");
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-50}{"",7}{json,9}{toon,9}{ours,10}   headroom < TOON on {wins}/{rows} arrays; total {100.0 * (toon - ours) / toon:F1}% fewer tokens than TOON"));
    }

    private static int LargestArray(string json)
    {
        var best = 0;
        Visit(JsonTreeParser.Parse(json), 0);
        return best;

        void Visit(JsonNode node, int depth)
        {
            if (node.Kind == JsonKind.Array)
            {
                best = Math.Max(best, node.Children.Count);
            }

            if (depth < 6)
            {
                foreach (var c in node.Children)
                {
                    Visit(c, depth + 1);
                }
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
