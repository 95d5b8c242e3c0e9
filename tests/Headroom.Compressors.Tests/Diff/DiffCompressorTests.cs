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
    public void Compress_TrimsContextToTwoLines_AndRecomputesHunkHeaders()
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
        Assert.Contains("@@ -1,5 +1,5 @@\n line 1\n line 2\n-old three\n+new three\n line 4\n line 5\n", text, StringComparison.Ordinal);
        Assert.Contains("@@ -13,5 +13,5 @@\n line 13\n line 14\n-old fifteen\n+new fifteen\n line 16\n line 17\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" line 9\n", text, StringComparison.Ordinal);
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
        for (var i = 0; i < 10; i++)
        {
            lines.Add($"-{prefix}[{i}] | `ipv4` |");
            lines.Add($"+{prefix}[{i + 1}] | `ipv4` |");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = new DiffCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.Equal(2, output.Output.Split('\n').Count(l => l.StartsWith("-…", StringComparison.Ordinal))); // 10% of 20 changed lines
        Assert.Equal(10, output.Output.Split('\n').Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)));
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }
}
