using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Headroom.Compressors.Code;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// Code skeletons over a corpus built by shared/data/code/collect.sh (one folder per language) plus
/// this repository's C#: token reduction (o200k) on files over 300 lines, top-level declaration names
/// kept, parse validity (Roslyn for C#, python3 ast for Python, node --check for JavaScript, bracket
/// balance for the rest), time per MB. Args: --corpus DIR (default /tmp/headroom-code) [--repo DIR] [--verbose].
/// </summary>
internal static class CodeEvaluation
{
    public static Task<int> RunAsync(string[] args)
    {
        string corpus = EvalData.Option(args, "--corpus") ?? "/tmp/headroom-code";
        string repo = EvalData.Option(args, "--repo") ?? FindRepo();
        bool verbose = args.Contains("--verbose");
        if (!Directory.Exists(corpus))
        {
            Console.Error.WriteLine($"corpus {corpus} not found: run shared/data/code/collect.sh {corpus} first");
            return Task.FromResult(2);
        }

        var files = new List<(string Lang, string Path)>();
        foreach (var dir in Directory.GetDirectories(corpus).Order(StringComparer.Ordinal))
        {
            foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                files.Add((Path.GetFileName(dir), f));
            }
        }

        foreach (var f in Directory.GetFiles(repo, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            {
                files.Add(("csharp", f));
            }
        }

        var compressor = new CodeCompressor();
        var tokenizer = O200kTokenizer.Instance;
        var perLang = new SortedDictionary<string, Stats>(StringComparer.Ordinal);
        var msPerMb = new List<double>();
        string tmp = Directory.CreateTempSubdirectory("headroom-code-eval").FullName;
        var toCheck = new List<(string Lang, string File, string Source)>();
        foreach (var (lang, path) in files)
        {
            string text = File.ReadAllText(path);
            var request = new CompressionRequest { Language = lang, OriginalHash = ContentHash.Compute(text) };
            var result = compressor.Compress(text, request);
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < 3; i++)
            {
                compressor.Compress(text, request);
            }

            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / 3;
            int lines = text.Count(c => c == '\n');
            var s = perLang.TryGetValue(lang, out var existing) ? existing : perLang[lang] = new Stats();
            s.Files++;
            int before = tokenizer.CountTokens(text);
            int after = tokenizer.CountTokens(result.Output);
            if (lines > 300)
            {
                s.LongFiles++;
                s.Before += before;
                s.After += after;
            }

            var names = DeclarationNames.Of(text, lang);
            int missing = 0;
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                s.Names++;
                if (!Regex.IsMatch(result.Output, @"(?<![\w$])" + Regex.Escape(name) + @"(?![\w$])"))
                {
                    missing++;
                    if (verbose)
                    {
                        Console.WriteLine($"  missing {name} in {Path.GetFileName(path)}");
                    }
                }
            }

            s.NamesMissing += missing;
            string outFile = Path.Combine(tmp, lang + "_" + Path.GetFileName(path));
            File.WriteAllText(outFile, result.Output);
            toCheck.Add((lang, outFile, path));
            if (!Valid(lang, text, result.Output, outFile, path))
            {
                s.Invalid++;
                Console.WriteLine($"  INVALID after compression: {lang} {Path.GetFileName(path)}");
            }

            if (verbose)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lang,-11} {Path.GetFileName(path),-70} {lines,5} lines {before,6} -> {after,6} tokens ({1 - after / (double)before:P0}) {ms,6:F1} ms"));
            }
        }

        Console.WriteLine("code: token reduction on files > 300 lines, declaration names kept, parse validity");
        foreach (var (lang, s) in perLang)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {lang,-11} files {s.Files,3} (>300 lines: {s.LongFiles,3})  tokens {s.Before,8:N0} -> {s.After,8:N0} ({(s.Before == 0 ? 0 : 1 - s.After / (double)s.Before):P1} saved)  names kept {s.Names - s.NamesMissing}/{s.Names}  invalid {s.Invalid}"));
        }

        long b = perLang.Values.Sum(x => x.Before);
        long a = perLang.Values.Sum(x => x.After);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  all         tokens {b:N0} -> {a:N0} ({1 - a / (double)b:P1} saved)  names kept {perLang.Values.Sum(x => x.Names - x.NamesMissing)}/{perLang.Values.Sum(x => x.Names)}  invalid {perLang.Values.Sum(x => x.Invalid)}"));
        // 1 MB inputs: each language's files concatenated (and repeated) to 1 MiB, compressed 20 times.
        foreach (var group in files.GroupBy(f => f.Lang).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var big = new StringBuilder();
            while (big.Length < 1_048_576)
            {
                foreach (var (_, path) in group)
                {
                    big.Append(File.ReadAllText(path)).Append('\n');
                    if (big.Length >= 1_048_576)
                    {
                        break;
                    }
                }
            }

            string text = big.ToString(); // whole files only: a cut file would be unbalanced

            var request = new CompressionRequest { Language = group.Key, OriginalHash = ContentHash.Compute(text) };
            var times = new List<double>();
            var walls = new List<double>();
            var r = compressor.Compress(text, request);
            for (int i = 0; i < 20; i++)
            {
                var (c, w) = ThreadCpuTime.Measure(() => compressor.Compress(text, request));
                times.Add(c);
                walls.Add(w);
            }

            msPerMb.AddRange(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  1 MiB {group.Key,-11} CPU p50 {EvalData.Percentile(times, 0.5),6:F1} ms  p99 {EvalData.Percentile(times, 0.99),6:F1} ms  (wall p50 {EvalData.Percentile(walls, 0.5),6:F1} p99 {EvalData.Percentile(walls, 0.99),6:F1})  ({1 - tokenizer.CountTokens(r.Output) / (double)tokenizer.CountTokens(text):P0} saved{(r.Lossy ? "" : ", passthrough")})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  1 MiB all languages CPU p50 {EvalData.Percentile(msPerMb, 0.5):F1} ms  p99 {EvalData.Percentile(msPerMb, 0.99):F1} ms"));
        Directory.Delete(tmp, recursive: true);
        return Task.FromResult(0);
    }

    private static bool Valid(string lang, string original, string output, string outFile, string originalPath)
    {
        switch (lang)
        {
            case "csharp":
                return Errors(output) <= Errors(original);
            case "python":
                return External("python3", $"-c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" {outFile}") || !External("python3", $"-c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" {originalPath}");
            case "javascript":
                return External("node", "--check " + outFile) || !External("node", "--check " + originalPath);
            default:
                return Balanced(output) || !Balanced(original);
        }
    }

    private static int Errors(string text) => CSharpSyntaxTree.ParseText(text).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    private static bool Balanced(string text)
    {
        // Independent of the compressor's lexer: strip // and /* */ comments and "..." strings crudely, count braces.
        int depth = 0;
        foreach (var line in Regex.Replace(text, @"/\*.*?\*/", " ", RegexOptions.Singleline).Split('\n'))
        {
            string l = Regex.Replace(Regex.Replace(line, "\"(\\\\.|[^\"\\\\])*\"", "\"\""), "//.*$", "");
            depth += l.Count(c => c == '{') - l.Count(c => c == '}');
        }

        return depth == 0;
    }

    private static bool External(string exe, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, arguments) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (p is null)
            {
                return true;
            }

            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // checker not installed: cannot judge
        }
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Headroom.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private sealed class Stats
    {
        public int Files { get; set; }
        public int LongFiles { get; set; }
        public long Before { get; set; }
        public long After { get; set; }
        public int Names { get; set; }
        public int NamesMissing { get; set; }
        public int Invalid { get; set; }
    }
}
