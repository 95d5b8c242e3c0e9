using Headroom.Gateway.LiveZone;

namespace Headroom.Bench.Compressors;

/// <summary><c>compressors-eval [DATA_DIR] [--code DIR] [--verbose] [--json-only]</c>: the evaluation tables, graded by
/// oracles independent of the compressors, at the gateway's production settings and unlimited.
/// DATA_DIR defaults to shared/data found above the working directory; --code is the corpus
/// shared/data/code/collect.sh assembled (without it, code is reported as not measured); --json-only runs the JSON rows alone, each sample printed.</summary>
internal static class CompressorsEvalSuite
{
    public static Task<int> RunAsync(string[] args)
    {
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--code")).ToList();
        var data = positional.Count > 0 ? positional[0] : FindSharedData();
        var codeAt = Array.IndexOf(args, "--code");
        var code = codeAt >= 0 && codeAt + 1 < args.Length ? args[codeAt + 1] : null;
        var repo = FindRepo();
        var gateway = new CompressionOptions();
        var settings = new EvaluationSettings(TimeSpan.FromMilliseconds(gateway.TimeBudgetMs), gateway.MinChars, "the gateway's Headroom:Compression defaults");
        PipelineWarmup.EnsureWarm();
        CompressorEvaluation.Run(data, code, repo, settings, Console.Out, verbose: args.Contains("--verbose"), jsonOnly: args.Contains("--json-only"));
        return Task.FromResult(0);
    }

    internal static string FindSharedData()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("No shared/data directory above the working or bench directory; pass DATA_DIR.");
    }

    private static string? FindRepo()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Headroom.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
