using Headroom.Compressors.Budget;
using System.Globalization;
using System.Text.Json;
using Headroom.Bench.Compressors.Oracles;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Compressors;

/// <summary>
/// Detection and every registered compressor over ../shared/data, graded by oracles that share
/// no code with the compressors (<see cref="Oracles"/>): each sample goes through the real
/// pipeline at the production settings and again with an unlimited budget, its labelled type
/// forced so a detection mistake does not hide a compressor's figures. Figures are reported on
/// the held-out side of each split: logs leave one loghub system out at a time, JSON and code
/// are split by origin repository.
/// </summary>
internal static class CompressorEvaluation
{
    public const string Tune = "tune";
    public const string HeldOut = "held-out";
    public const string All = "all";

    public static EvaluationReport Run(string dataDir, string? codeDir, string? repoDir, EvaluationSettings settings, TextWriter w, bool verbose = false, bool jsonOnly = false)
    {
        var production = new CompressionPipeline(options: settings.Production);
        var unlimited = new CompressionPipeline(options: settings.Unbounded);
        w.WriteLine("settings: " + settings.Describe());
        if (File.Exists("/proc/loadavg"))
        {
            // The budget counts thread CPU time with a 10x wall cap, as in the gateway.
            w.WriteLine($"machine: load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores (the 50 ms budget is thread CPU time, wall time capped at 10x)");
        }

        w.WriteLine("split: logs = leave one loghub system out (each row is a system the defaults were not fitted on at run time); json = tune github_*, octokit_* | held-out renovate_*;");
        w.WriteLine("       code (files > 300 lines) = tune csharp (this repository), python (CPython stdlib), go (Go stdlib) | held-out java (OpenJDK), rust (Rust std), typescript (rxjs), javascript (express);");
        w.WriteLine("       diffs and grep = one origin each (open-telemetry/semantic-conventions): all files reported, none tuned on separately.");
        w.WriteLine("oracles: logs = loghub EventTemplate/Level + an own severity rule; " + JsonOracle.Description + "; " + DiffOracle.Description + "; " + SearchOracle.Description + "; " + CodeOracle.Description + ".");
        Warm(production, unlimited, dataDir, repoDir);
        if (jsonOnly)
        {
            // The JSON rows alone, each sample printed: for iterating on the JSON compressor.
            var jsonTypes = Json(EvalCorpus.Load(dataDir, null, repoDir, windows: false), production, unlimited, w).ToList();
            PrintTypes(jsonTypes, w);
            return new EvaluationReport(jsonTypes, []);
        }

        var samples = EvalCorpus.Load(dataDir, codeDir, repoDir);
        w.WriteLine($"{samples.Count} labelled samples from {dataDir}{(codeDir is null ? "" : " + " + codeDir)} (logs in 200-line and grep in 100-line windows)");
        Detection(samples, w);

        var logs = Logs(dataDir, production, unlimited, settings, w, verbose);
        var types = new List<TypeFigures>
        {
            LogTotals(logs),
        };
        var whole = EvalCorpus.Load(dataDir, codeDir, repoDir, windows: false);
        types.AddRange(Json(whole, production, unlimited, verbose ? w : null));
        types.Add(Grade("diff", All, whole.Where(s => s.Label == ContentType.Diff), production, unlimited, (s, o) => DiffOracle.Measure(s.Text, o).Changed, verbose ? w : null));
        types.Add(Grade("grep", All, whole.Where(s => s.Label == ContentType.Search), production, unlimited, (s, o) => SearchOracle.Measure(s.Text, s.Query, o).Files, verbose ? w : null));
        var code = whole.Where(s => s.Label == ContentType.Code && s.Language is not null && s.Text.Count(c => c == '\n') > 300).ToList();
        if (code.Count > 0)
        {
            types.Add(Grade("code>300", Tune, code.Where(IsTuneCode), production, unlimited, (s, o) => CodeOracle.Measure(s.Text, s.Language!, o), verbose ? w : null));
            types.Add(Grade("code>300", HeldOut, code.Where(s => !IsTuneCode(s)), production, unlimited, (s, o) => CodeOracle.Measure(s.Text, s.Language!, o), verbose ? w : null));
        }
        else
        {
            w.WriteLine("code: not measured: no code corpus given (run ../shared/data/code/collect.sh DIR and pass --code DIR)");
        }

        PrintTypes(types, w);
        Toon(dataDir, w);
        return new EvaluationReport(types, logs);
    }

    private static bool IsTuneCode(EvalSample s) => s.Language is "csharp" or "python" or "go";

    private static void Warm(CompressionPipeline production, CompressionPipeline unlimited, string dataDir, string? repoDir)
    {
        // JIT and regex construction once per type and language before anything is measured, as the gateway's
        // warm-up does before traffic (Roslyn warms itself before the first C# output's budget, IWarmsUp).
        foreach (var s in EvalCorpus.Load(dataDir, null, repoDir, windows: false).GroupBy(s => (s.Label, s.Language)).Select(g => g.First()))
        {
            unlimited.Compress(s.Text, new CompressionRequest { Query = s.Query }, s.Label);
            production.Compress(s.Text, new CompressionRequest { Query = s.Query }, s.Label);
        }
    }

    /// <summary>Miner settings the leave-one-system-out step chooses from: (similarity, alert similarity),
    /// each with every family similarity of <see cref="FamilyGrid"/>.</summary>
    private static readonly (double Similarity, double Alert)[] SimilarityGrid =
        [(0.3, 0.5), (0.3, 0.6), (0.4, 0.5), (0.4, 0.6), (0.4, 0.75), (0.5, 0.5), (0.5, 0.6), (0.5, 0.75), (0.5, 0.9), (0.6, 0.75), (0.6, 0.9), (0.7, 0.9)];

    /// <summary>Share of the longer literal sequence two templates of different lengths must share to form one family.</summary>
    private static readonly double[] FamilyGrid = [0.3, 0.5, 0.7, 1.01];

    private static readonly (double Similarity, double Alert, double Family)[] MinerGrid =
        [.. SimilarityGrid.SelectMany(g => FamilyGrid.Select(f => (g.Similarity, g.Alert, f)))];

    private static List<LogSystemFigures> Logs(string dataDir, CompressionPipeline production, CompressionPipeline unlimited, EvaluationSettings settings, TextWriter w, bool verbose)
    {
        var figures = new List<LogSystemFigures>();
        var tokenizer = O200kTokenizer.Instance;
        var systems = Directory.EnumerateDirectories(Path.Combine(dataDir, "logs")).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + "_2k.log_structured.csv"))).Select(LoghubLog.Load).ToList();
        var oracles = systems.Select(l => new LogOracle(l)).ToList();
        w.WriteLine();
        w.WriteLine("Logs, each loghub system held out in turn (o200k tokens; saved = 1 - after/before; oracle = one raw line per ground-truth EventTemplate)");
        w.WriteLine($"{"system",-11}{"templ.",7}{"alerts",7}{"oracle %",9}{"50 ms %",9}{"unlim. %",9}{"gap",6}{"LOSO %",8}  {"alert msgs",-16}{"rare alert lines",-18}{"identifiers",-18}{"CPU ms",7}  target (50 ms / unlimited)");
        for (var k = 0; k < systems.Count; k++)
        {
            var log = systems[k];
            var oracle = oracles[k];
            var before = tokenizer.CountTokens(log.Text);
            var oracleSaved = 100.0 * (before - tokenizer.CountTokens(oracle.OracleOutput())) / before;
            var p = production.Compress(log.Text, CompressionRequest.Empty, ContentType.Log);
            var cpu = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() : TimeSpan.Zero;
            var u = unlimited.Compress(log.Text, CompressionRequest.Empty, ContentType.Log);
            var used = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() - cpu : u.Elapsed;
            var lost = verbose ? new List<string>() : null;
            var (alerts, rare, ids) = oracle.Measure(p.Output);
            var (alertsU, rareU, idsU) = oracle.Measure(u.Output, lost);
            var f = new LogSystemFigures(log.System, p.TokensBefore, p.TokensAfter, u.TokensAfter, used.TotalMilliseconds, oracle.Templates, oracle.AlertLines, oracleSaved, Saved(p), Saved(u),
                p.Reason?.Contains("time budget", StringComparison.Ordinal) == true, alerts, rare, ids, alertsU, rareU, idsU);
            figures.Add(f);
            foreach (var l in lost?.Take(8) ?? [])
            {
                w.WriteLine($"  {log.System} lost (unlimited): {Shorten(l)}");
            }
        }

        // Leave one system out: choose the miner settings on the other twelve (every alert message and
        // rare alert line kept first, then the mean saving), report the held-out system at them.
        var grid = MinerGrid.Select(g =>
        {
            var pipeline = new CompressionPipeline(CompressorRegistry.CreateDefault().Add(ContentType.Log, new LogCompressor(g.Similarity, g.Alert, g.Family)), settings.Unbounded);
            return systems.Select((log, k) =>
            {
                var r = pipeline.Compress(log.Text, CompressionRequest.Empty, ContentType.Log);
                var (a, rare, _) = oracles[k].Measure(r.Output);
                return (Saved: Saved(r), Alerts: a + rare);
            }).ToList();
        }).ToList();
        for (var k = 0; k < systems.Count; k++)
        {
            var held = k;
            var best = Enumerable.Range(0, MinerGrid.Length)
                .OrderByDescending(g => grid[g].Where((_, s) => s != held).Sum(x => x.Alerts.Must - x.Alerts.Kept) == 0)
                .ThenByDescending(g => grid[g].Where((_, s) => s != held).Average(x => x.Saved))
                .First();
            figures[k] = figures[k] with { HeldOut = (grid[best][k].Saved, string.Create(CultureInfo.InvariantCulture, $"{MinerGrid[best].Similarity:F2}/{MinerGrid[best].Alert:F2}/{MinerGrid[best].Family:F2}"), grid[best][k].Alerts) };
        }

        foreach (var f in figures)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.System,-11}{f.Templates,7}{f.AlertLines,7}{f.OracleSaved,9:F1}{f.SavedProduction,9:F1}{f.SavedUnlimited,9:F1}{f.OracleSaved - f.SavedUnlimited,6:F1}{f.HeldOut.Saved,8:F1}  {f.AlertMessagesUnlimited.Show(),-16}{f.RareAlertLinesUnlimited.Show(),-18}{f.IdentifiersUnlimited.Show(),-18}{f.CpuMs,7:F0}  {(f.MeetsSavingTarget ? "ok" : "MISSED")} / {(f.MeetsSavingTargetUnlimited ? "ok" : "MISSED")}{(f.TimedOut ? " (50 ms budget exceeded: original forwarded)" : "")}"));
        }

        var all = figures.Aggregate((Retained.None, Retained.None, Retained.None), (a, f) => (a.Item1 + f.AlertMessagesUnlimited, a.Item2 + f.RareAlertLinesUnlimited, a.Item3 + f.IdentifiersUnlimited));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"mean",-11}{"",7}{"",7}{figures.Average(f => f.OracleSaved),9:F1}{figures.Average(f => f.SavedProduction),9:F1}{figures.Average(f => f.SavedUnlimited),9:F1}{figures.Average(f => f.OracleSaved - f.SavedUnlimited),6:F1}{figures.Average(f => f.HeldOut.Saved),8:F1}  {all.Item1.Show(),-16}{all.Item2.Show(),-18}{all.Item3.Show(),-18}{"",7}  {figures.Count(f => f.MeetsSavingTarget)} / {figures.Count(f => f.MeetsSavingTargetUnlimited)} of {figures.Count} ok"));
        w.WriteLine($"alert = loghub Level at warning or above, or content matching the bench's severity words; rare = template occurs ≤ {LogOracle.RareRepeats} times; {IdentifierRule.Description}.");
        w.WriteLine("retention columns: unlimited budget (at 50 ms an over-budget log is forwarded whole, which keeps everything). gap = oracle - unlimited.");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LOSO = saved (unlimited) with the miner settings (similarity/alert similarity/family similarity) chosen on the other 12 systems from {string.Join(" ", SimilarityGrid.Select(g => $"{g.Similarity:F2}/{g.Alert:F2}"))} × family {string.Join(" ", FamilyGrid.Select(f => $"{f:F2}"))} (1.01: no families of ordinary templates); defaults {TemplateMiner.DefaultSimilarity:F2}/{TemplateMiner.DefaultAlertSimilarity:F2}/{TemplateMiner.DefaultFamilySimilarity:F2}; chosen: {string.Join(", ", figures.Select(f => f.System + " " + f.HeldOut.Settings))}."));
        w.WriteLine("target: saved within 3 points of the oracle, and ≥ 90% where the oracle is above 92%.");
        foreach (var f in figures.Where(f => f.HeldOut.Alerts.Kept < f.HeldOut.Alerts.Must))
        {
            w.WriteLine($"LOSO settings lose alerts on {f.System}: {f.HeldOut.Alerts.Show()}");
        }

        return figures;
    }

    private static TypeFigures LogTotals(List<LogSystemFigures> logs) =>
        new("logs", HeldOut, [.. logs.Select(f => new SampleFigures(f.System, HeldOut, f.TokensBefore, f.TokensAfterProduction, f.TokensAfterUnlimited,
            f.TimedOut, f.AlertMessages + f.RareAlertLines, f.AlertMessagesUnlimited + f.RareAlertLinesUnlimited, f.CpuMs))]);

    private static IEnumerable<TypeFigures> Json(IReadOnlyList<EvalSample> whole, CompressionPipeline production, CompressionPipeline unlimited, TextWriter? verbose)
    {
        var json = whole.Where(s => s.Label == ContentType.Json).ToList();
        static bool IsTune(EvalSample s) => Path.GetFileName(s.Name).StartsWith("github_", StringComparison.Ordinal) || Path.GetFileName(s.Name).StartsWith("octokit_", StringComparison.Ordinal);
        static Retained Grade(EvalSample s, string o) => JsonOracle.MeasureItems(s.Text, s.Query, o);
        yield return CompressorEvaluation.Grade("json", Tune, json.Where(IsTune), production, unlimited, Grade, verbose);
        yield return CompressorEvaluation.Grade("json", HeldOut, json.Where(s => !IsTune(s)), production, unlimited, Grade, verbose);
        yield return CompressorEvaluation.Grade("json≥100", HeldOut, json.Where(s => !IsTune(s) && LargestArray(s.Text) >= 100), production, unlimited, Grade, verbose);
    }

    private static TypeFigures Grade(string type, string split, IEnumerable<EvalSample> samples, CompressionPipeline production, CompressionPipeline unlimited, Func<EvalSample, string, Retained> oracle, TextWriter? verbose)
    {
        var rows = new List<SampleFigures>();
        foreach (var s in samples)
        {
            var request = new CompressionRequest { Query = s.Query, Language = s.Language };
            var p = production.Compress(s.Text, request, s.Label);
            var cpu = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() : TimeSpan.Zero;
            var u = unlimited.Compress(s.Text, request, s.Label);
            var used = ThreadCpuClock.IsSupported ? ThreadCpuClock.Now() - cpu : u.Elapsed;
            var row = new SampleFigures(s.Name, split, p.TokensBefore, p.TokensAfter, u.TokensAfter, p.Reason?.Contains("time budget", StringComparison.Ordinal) == true,
                oracle(s, p.Output), oracle(s, u.Output), used.TotalMilliseconds);
            rows.Add(row);
            verbose?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {type} {s.Name,-60} {row.TokensBefore,8} → {row.TokensAfterProduction,8} (unl. {row.TokensAfterUnlimited,8}) retained {row.Production.Show()} / {row.Unlimited.Show()}{(row.TimedOut ? " timed out" : "")} CPU {row.CpuMs:F1} ms {p.Reason}"));
        }

        return new TypeFigures(type, split, rows);
    }

    private static void PrintTypes(List<TypeFigures> types, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("By type (o200k tokens; retention by the independent oracles; 50 ms = production settings)");
        w.WriteLine($"{"type",-10}{"split",-10}{"files",6}{"tokens",11}{"saved 50 ms",13}{"saved unlim.",14}  {"retained 50 ms",-22}{"retained unlim.",-22}{"over budget",12}{"CPU p50/p99 ms",16}");
        foreach (var t in types)
        {
            var cpu = t.Samples.Select(s => s.CpuMs).Order().ToList();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{t.Type,-10}{t.Split,-10}{t.Samples.Count,6}{t.TokensBefore,11:N0}{t.SavedProduction,12:F1}%{t.SavedUnlimited,13:F1}%  {t.RetainedProduction.Show(),-22}{t.RetainedUnlimited.Show(),-22}{t.TimedOut,12}{$"{Percentile(cpu, 0.5):F1}/{Percentile(cpu, 0.99):F1}",16}"));
        }

        w.WriteLine("logs row: all 13 systems (token-weighted); retained = alert messages + rare alert lines (identifiers in the table above).");
        w.WriteLine("over budget = samples the 50 ms budget returned uncompressed; CPU = thread CPU time of the unlimited pipeline call (detection forced).");
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
        using var doc = JsonDocument.Parse(json);
        var best = 0;
        Visit(doc.RootElement, 0);
        return best;

        void Visit(JsonElement e, int depth)
        {
            if (depth > 6)
            {
                return;
            }

            if (e.ValueKind == JsonValueKind.Array)
            {
                best = Math.Max(best, e.GetArrayLength());
                foreach (var x in e.EnumerateArray())
                {
                    Visit(x, depth + 1);
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    Visit(p.Value, depth + 1);
                }
            }
        }
    }

    private static double Saved(CompressionResult r) => r.TokensBefore == 0 ? 0 : 100.0 * (r.TokensBefore - r.TokensAfter) / r.TokensBefore;

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..159] + "…";

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
