using System.Text.Json;
using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors;

/// <summary>
/// The labelled set built from ../shared/data (see its SOURCES.md): loghub logs in 200-line
/// windows, API JSON bodies whole, git-grep outputs in 100-line windows, diffs whole, HTML pages
/// whole (with <c>windows: false</c>, logs and grep outputs whole too: the compression figures use
/// whole files, detection the windows for a larger sample), SQuAD paragraphs and whole articles as prose, and source files (the code corpus that
/// shared/data/code/collect.sh assembles, plus this repository's C#) as code. Order is sorted
/// by path, so the set is the same on every machine.
/// </summary>
internal static class EvalCorpus
{
    public static IReadOnlyList<EvalSample> Load(string dataDir, string? codeDir, string? repoDir, bool windows = true)
    {
        var samples = new List<EvalSample>();
        foreach (var file in Files(Path.Combine(dataDir, "logs"), "*_2k.log"))
        {
            samples.AddRange(Windows(file, ContentType.Log, windows ? 200 : int.MaxValue));
        }

        foreach (var file in Files(Path.Combine(dataDir, "json"), "*.json"))
        {
            var text = File.ReadAllText(file);
            samples.Add(new EvalSample(Rel(dataDir, file), ContentType.Json, text, JsonQuery(text)));
        }

        foreach (var file in Files(Path.Combine(dataDir, "grep"), "*.txt"))
        {
            var pattern = Path.GetFileNameWithoutExtension(file).Replace("semconv_grep_", "", StringComparison.Ordinal);
            samples.AddRange(Windows(file, ContentType.Search, windows ? 100 : int.MaxValue).Select(s => s with { Query = pattern }));
        }

        foreach (var file in Files(Path.Combine(dataDir, "diffs"), "*.diff"))
        {
            samples.Add(new EvalSample(Rel(dataDir, file), ContentType.Diff, File.ReadAllText(file)));
        }

        foreach (var file in Files(Path.Combine(dataDir, "html"), "source.html"))
        {
            samples.Add(new EvalSample(Rel(dataDir, file), ContentType.Html, File.ReadAllText(file)));
        }

        samples.AddRange(Prose(dataDir));

        if (codeDir is not null && Directory.Exists(codeDir))
        {
            foreach (var file in Files(codeDir, "*.*"))
            {
                var language = Path.GetFileName(Path.GetDirectoryName(file)!);
                samples.Add(new EvalSample("code/" + Path.GetRelativePath(codeDir, file), ContentType.Code, File.ReadAllText(file), Language: language));
            }
        }

        if (repoDir is not null)
        {
            var sources = Path.Combine(repoDir, "compressors", "Headroom.Compressors");
            foreach (var file in Files(sources, "*.cs").Where(f => new FileInfo(f).Length >= 2_000).Take(24))
            {
                samples.Add(new EvalSample("repo/" + Path.GetRelativePath(repoDir, file), ContentType.Code, File.ReadAllText(file), Language: "csharp"));
            }
        }

        return samples;
    }

    private static IEnumerable<EvalSample> Prose(string dataDir)
    {
        var qa = Path.Combine(dataDir, "qa", "squad_v1.1_dev_300.jsonl");
        var n = 0;
        foreach (var line in File.ReadLines(qa))
        {
            using var doc = JsonDocument.Parse(line);
            var context = doc.RootElement.GetProperty("context").GetString()!;
            var question = doc.RootElement.GetProperty("question").GetString();
            yield return new EvalSample($"qa/paragraph-{n++:D3}", ContentType.Text, context, question);
        }

        foreach (var line in File.ReadLines(Path.Combine(dataDir, "qa", "squad_v1.1_dev_articles.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var title = doc.RootElement.GetProperty("title").GetString()!;
            var paragraphs = doc.RootElement.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()!);
            yield return new EvalSample($"qa/article-{title}", ContentType.Text, string.Join("\n\n", paragraphs));
        }
    }

    private static IEnumerable<EvalSample> Windows(string file, ContentType label, int lines)
    {
        var all = File.ReadAllLines(file);
        if (lines >= all.Length)
        {
            yield return new EvalSample(Path.GetFileName(file), label, string.Join('\n', all) + "\n");
            yield break;
        }

        for (var i = 0; i < all.Length; i += lines)
        {
            var chunk = string.Join('\n', all.Skip(i).Take(lines)) + "\n";
            yield return new EvalSample($"{Path.GetFileName(file)}#{i / lines}", label, chunk);
        }
    }

    // A query an agent might ask about an array: the first string value of the middle item.
    private static string? JsonQuery(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var array = LargestArray(doc.RootElement);
            if (array is not { } a || a.GetArrayLength() < 3)
            {
                return null;
            }

            var middle = a[a.GetArrayLength() / 2];
            if (middle.ValueKind != JsonValueKind.Object)
            {
                return middle.ValueKind == JsonValueKind.String ? middle.GetString() : null;
            }

            foreach (var p in middle.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: >= 3 and <= 40 } s && !s.Contains("://", StringComparison.Ordinal))
                {
                    return s;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? LargestArray(JsonElement e)
    {
        JsonElement? best = null;
        var size = -1;
        Visit(e, 0);
        return best;

        void Visit(JsonElement x, int depth)
        {
            if (depth > 6)
            {
                return;
            }

            if (x.ValueKind == JsonValueKind.Array)
            {
                if (x.GetArrayLength() > size)
                {
                    size = x.GetArrayLength();
                    best = x;
                }

                foreach (var item in x.EnumerateArray().Take(3))
                {
                    Visit(item, depth + 1);
                }
            }
            else if (x.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in x.EnumerateObject())
                {
                    Visit(p.Value, depth + 1);
                }
            }
        }
    }

    private static IEnumerable<string> Files(string dir, string pattern) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : throw new DirectoryNotFoundException($"Evaluation data directory missing: {dir}");

    private static string Rel(string dataDir, string file) => Path.GetRelativePath(dataDir, file).Replace('\\', '/');
}
