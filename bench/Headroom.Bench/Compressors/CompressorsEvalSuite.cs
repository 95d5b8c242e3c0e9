namespace Headroom.Bench.Compressors;

/// <summary><c>compressors-eval [DATA_DIR] [CODE_DIR]</c>: the evaluation tables (issue 3 §8).
/// DATA_DIR defaults to ../shared/data found above the working directory; CODE_DIR is the corpus
/// shared/data/code/collect.sh assembled (optional).</summary>
internal static class CompressorsEvalSuite
{
    public static Task<int> RunAsync(string[] args)
    {
        var data = args.Length > 0 ? args[0] : FindSharedData();
        var code = args.Length > 1 ? args[1] : null;
        var repo = FindRepo();
        CompressorEvaluation.Run(data, code, repo, Console.Out);
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
