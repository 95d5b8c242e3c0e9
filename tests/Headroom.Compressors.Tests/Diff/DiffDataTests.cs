using Headroom.Compressors.Diff;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Pipeline;
using Headroom.Compressors.Tokens;
using Xunit;
using Xunit.Abstractions;

namespace Headroom.Compressors.Tests.Diff;

/// <summary>
/// The diff targets on every file of ../shared/data/diffs, graded by <see cref="ChangedLineOracle"/>:
/// ≥ 90% of the +/- lines of each file kept verbatim, a marker in (or naming) every file that lost
/// one, ≥ 30% of the tokens saved overall, and never more tokens out than in.
/// </summary>
public sealed class DiffDataTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => Fixtures.SharedDataFiles("diffs", "*.diff");

    [Theory]
    [MemberData(nameof(Files))]
    public void Compress_DataFile_KeepsNinetyPercentOfChangedLinesAndMarksTheRest(string name)
    {
        var input = File.ReadAllText(Path.Combine(Fixtures.SharedDataDirectory(), "diffs", name));
        var (kept, total, before, after, unmarked) = Grade(input);

        output.WriteLine($"{name}: changed kept {kept}/{total}, tokens {before} → {after}");
        Assert.True(total > 0, $"{name}: the oracle found no changed lines");
        Assert.True(kept >= 0.9 * total, $"{name}: kept {kept} of {total} changed lines (< 90%)");
        Assert.True(unmarked.Count == 0, $"{name}: changed lines dropped without a marker in or naming: {string.Join(", ", unmarked)}");
        Assert.True(after <= before, $"{name}: output has more tokens than the input ({before} → {after})");
    }

    [Fact]
    public void Compress_AllDataFiles_SaveThirtyPercentOverall()
    {
        long before = 0, after = 0, kept = 0, total = 0;
        foreach (var path in Directory.GetFiles(Path.Combine(Fixtures.SharedDataDirectory(), "diffs"), "*.diff").Order(StringComparer.Ordinal))
        {
            var g = Grade(File.ReadAllText(path));
            (before, after, kept, total) = (before + g.Before, after + g.After, kept + g.Kept, total + g.Total);
        }

        var saved = 1 - (double)after / before;
        output.WriteLine($"diffs overall: tokens {before} → {after} ({saved:P1} saved), changed lines kept {kept}/{total} ({(double)kept / total:P1})");
        Assert.True(saved >= 0.30, $"saved {saved:P1} overall (< 30%)");
    }

    private static (int Kept, int Total, int Before, int After, List<string> Unmarked) Grade(string input)
    {
        var request = new CompressionRequest { OriginalHash = ContentHash.Compute(input) };
        var result = new DiffCompressor().Compress(input, request).Output;
        var changed = ChangedLineOracle.ChangedLines(input);
        var sections = ChangedLineOracle.OutputSections(result);
        var markers = ChangedLineOracle.Markers(result).ToList();
        int kept = 0, total = 0;
        var unmarked = new List<string>();
        foreach (var (file, lines) in changed)
        {
            var section = sections.GetValueOrDefault(file) ?? [];
            var left = new Dictionary<string, int>(section, StringComparer.Ordinal);
            var fileKept = 0;
            foreach (var line in lines)
            {
                if (left.TryGetValue(line, out var n) && n > 0)
                {
                    left[line] = n - 1;
                    fileKept++;
                }
            }

            kept += fileKept;
            total += lines.Count;
            var markedHere = section.Keys.Any(l => ChangedLineOracle.Markers(l).Any()) || markers.Any(m => m.Contains(file, StringComparison.Ordinal));
            if (fileKept < lines.Count && !markedHere)
            {
                unmarked.Add(file);
            }
        }

        var tokens = O200kTokenizer.Instance;
        return (kept, total, tokens.CountTokens(input), tokens.CountTokens(result), unmarked);
    }
}
