using Headroom.Compressors.Diff;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Diff;

public sealed class DiffCompressorTests
{
    private const string Hash = "0123456789abcdef01234567";

    [Fact]
    public void Compress_TrimsContextToOneLine_AndRecomputesHunkHeaders()
    {
        var body = new List<string> { "diff --git a/src/a.txt b/src/a.txt", "index 1111111..2222222 100644", "--- a/src/a.txt", "+++ b/src/a.txt", "@@ -1,20 +1,20 @@" };
        for (var i = 1; i <= 20; i++)
        {
            body.Add(i switch
            {
                3 => "-old three",
                15 => "-old fifteen",
                _ => $" line {i}",
            });
            if (i is 3 or 15)
            {
                body.Add(i == 3 ? "+new three" : "+new fifteen");
            }
        }

        var input = string.Join('\n', body) + "\n";
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        var text = output.Output;

        Assert.Null(SpanMap.Validate(input, text, output.Spans));
        Assert.Contains("@@ -2,3 +2,3 @@\n line 2\n-old three\n+new three\n line 4\n", text, StringComparison.Ordinal);
        Assert.Contains("@@ -14,3 +14,3 @@\n line 14\n-old fifteen\n+new fifteen\n line 16\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" line 9\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" line 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("index 1111111", text, StringComparison.Ordinal);
        Assert.Single(MarkerFormat.FindAll(text));
    }

    [Fact]
    public void Compress_CollapsesLockfilesAndBinaries_ToOneLineEach()
    {
        var lockLines = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"+    \"pkg{i}\": \"1.0.{i}\","));
        var input = $"""
            diff --git a/package-lock.json b/package-lock.json
            --- a/package-lock.json
            +++ b/package-lock.json
            @@ -1,0 +1,200 @@
            {lockLines}
            diff --git a/img.png b/img.png
            Binary files a/img.png and b/img.png differ
            diff --git a/src/x.ts b/src/x.ts
            --- a/src/x.ts
            +++ b/src/x.ts
            @@ -1 +1 @@
            -const a = 1;
            +const a = 2;

            """;
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.Contains("diff --git a/package-lock.json b/package-lock.json (lockfile: +200 -0 lines not shown)", output.Output, StringComparison.Ordinal);
        Assert.Contains("diff --git a/img.png b/img.png (binary file: +0 -0 lines not shown)", output.Output, StringComparison.Ordinal);
        Assert.Contains("-const a = 1;\n+const a = 2;\n", output.Output, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_ReplacedLongLine_ShowsOnlyTheChangedPartOfTheRemovedLine()
    {
        var prefix = "| [`network.type`](/docs/registry/attributes/network.md) | string | OSI network layer or non-OSI equivalent. ";
        var lines = new List<string> { "diff --git a/t.md b/t.md", "--- a/t.md", "+++ b/t.md", "@@ -1,10 +1,10 @@" };
        for (var i = 0; i < 40; i++)
        {
            lines.Add($"-{prefix}[{i}] | `ipv4` |");
            lines.Add($"+{prefix}[{i + 1}] | `ipv4` |");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        var outputLines = output.Output.Split('\n');
        Assert.Equal(8, outputLines.Count(l => l.StartsWith("-…", StringComparison.Ordinal))); // 10% of 80 changed lines
        Assert.Equal(32, outputLines.Count(l => l.StartsWith("-|", StringComparison.Ordinal)));
        Assert.Equal(40, outputLines.Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)));
        var fileMarker = Assert.Single(outputLines, l => l.StartsWith(MarkerFormat.Prefix, StringComparison.Ordinal) && l.Contains("t.md", StringComparison.Ordinal));
        Assert.Contains("8 of 80 lines omitted", fileMarker, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_DiffOverTheBudget_NamesEveryFileLeftOutWithItsCounts()
    {
        var body = new List<string>();
        for (var f = 0; f < 8; f++)
        {
            var n = 600 - (f * 50);
            body.AddRange([$"diff --git a/src/f{f}.txt b/src/f{f}.txt", $"--- a/src/f{f}.txt", $"+++ b/src/f{f}.txt", $"@@ -0,0 +1,{n} @@"]);
            body.AddRange(Enumerable.Range(0, n).Select(i => $"+file {f} added line {i}"));
        }

        var input = string.Join('\n', body) + "\n";
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        // 600 + 550 + 500 + 450 + 400 + 350 = 2,850 changed lines fit the 3,000-line budget; f6 and f7 do not.
        Assert.Contains("+file 5 added line 349\n", output, StringComparison.Ordinal);
        foreach (var (f, n) in new[] { (6, 300), (7, 250) })
        {
            var line = Assert.Single(output.Split('\n'), l => l.StartsWith($"diff --git a/src/f{f}.txt", StringComparison.Ordinal));
            Assert.Contains($"src/f{f}.txt: +{n} -0 lines", line, StringComparison.Ordinal);
            Assert.True(MarkerFormat.FindAll(line).Any(), line);
            Assert.DoesNotContain($"+file {f} added line", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compress_SmallDiffWhereMarkersCostMoreThanTheCut_ReturnsTheInputUnchanged()
    {
        const string input = "diff --git a/a.md b/a.md\nindex 1..2 100644\n--- a/a.md\n+++ b/a.md\n@@ -1,4 +1,4 @@\n one\n two\n-three\n+3\n";
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.Equal(input, output.Output);
        Assert.False(output.Lossy);
    }
}
