using System.Globalization;
using System.Text;
using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;
using Xunit;
using Xunit.Abstractions;

namespace Headroom.Compressors.Tests.Code;

/// <summary>
/// Real files of every claimed language (standard libraries of Go, Rust, Java, Python; rxjs; express), graded by
/// <see cref="DeclarationNames"/>: files over 300 lines save at least 40% and keep every declaration name, no file grows,
/// and the corpus as a whole saves at least 45%. Prints per-language figures at default options, both from the
/// compressor alone and through the pipeline at its production 50 ms budget.
/// </summary>
public sealed class RealCorpusTests(ITestOutputHelper log)
{
    private const int LongFileLines = 300;

    [CodeCorpusFact]
    public void RealFiles_LongOnesSaveFortyPercentKeepEveryNameAndNoneGrows()
    {
        string root = CodeCorpusFactAttribute.Directory!;
        var tokenizer = O200kTokenizer.Instance;
        var compressor = new CodeCompressor();
        var pipeline = new CompressionPipeline();
        var failures = new List<string>();
        var shortOfTarget = new List<string>();
        long allBefore = 0, allAfter = 0;
        log.WriteLine("settings: CodeOptions.Default, pipeline budget 50 ms (PipelineOptions default); figures for files > 300 lines");
        log.WriteLine("language    files  tokens_in  saved%  min_file%  names_kept  pipeline_saved%  pipeline_fallbacks");
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string language = Path.GetFileName(dir);
            long before = 0, after = 0, pipeBefore = 0, pipeAfter = 0;
            int files = 0, names = 0, kept = 0, fallbacks = 0;
            double minSaved = 1;
            foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                string text = File.ReadAllText(file);
                var request = new CompressionRequest { Language = language, OriginalHash = "0123456789abcdef01234567" };
                string output = compressor.Compress(text, request).Output;
                int tIn = tokenizer.CountTokens(text);
                int tOut = tokenizer.CountTokens(output);
                if (tOut > tIn)
                {
                    failures.Add($"{Path.GetFileName(file)} grew {tIn} -> {tOut} tokens");
                }

                if (text.Split('\n').Length <= LongFileLines)
                {
                    continue;
                }

                files++;
                before += tIn;
                after += tOut;
                double saved = 1 - (double)tOut / tIn;
                minSaved = Math.Min(minSaved, saved);
                if (saved < 0.40)
                {
                    shortOfTarget.Add($"{Path.GetFileName(file)} saved only {saved:P1} ({tIn} -> {tOut})");
                }

                var declared = DeclarationNames.Of(language, text);
                var missing = DeclarationNames.Missing(declared, output);
                names += declared.Count;
                kept += declared.Count - missing.Count;
                if (missing.Count > 0)
                {
                    failures.Add($"{Path.GetFileName(file)} lost {string.Join(", ", missing.Take(8))}");
                }

                var piped = pipeline.Compress(text, new CompressionRequest { Language = language }, ContentType.Code);
                pipeBefore += piped.TokensBefore;
                pipeAfter += piped.TokensAfter;
                if (piped.TokensAfter == piped.TokensBefore)
                {
                    fallbacks++;
                    log.WriteLine($"  pipeline kept {Path.GetFileName(file)} whole: {piped.Reason}");
                }
            }

            if (files == 0)
            {
                continue;
            }

            allBefore += before;
            allAfter += after;
            log.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "{0,-10} {1,6} {2,10} {3,7:F1} {4,10:F1} {5,6}/{6,-5} {7,15:F1} {8,19}",
                language, files, before, 100.0 * (1 - (double)after / before), 100.0 * minSaved, kept, names,
                100.0 * (1 - (double)pipeAfter / pipeBefore), fallbacks));
        }

        double overall = 1 - (double)allAfter / allBefore;
        log.WriteLine(string.Format(CultureInfo.InvariantCulture, "overall saved {0:F1}% of {1} tokens", 100 * overall, allBefore));
        shortOfTarget.ForEach(f => log.WriteLine("below 40%: " + f));
        var report = new StringBuilder();
        failures.ForEach(f => report.AppendLine(f));
        Assert.True(failures.Count == 0, report.ToString());
        Assert.True(overall >= 0.45, $"overall saved {overall:P1} < 45%");
        Assert.True(shortOfTarget.Count == 0, "files over 300 lines below 40% saved:\n" + string.Join('\n', shortOfTarget));
    }
}
