using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Logs;

public sealed class LogCompressorTests
{
    private const string Hash = "0123456789abcdef01234567";
    private static readonly LogCompressor Compressor = new();

    [Fact]
    public void Compress_RepeatedLines_CollapseToOneRepresentativeWithCount_AndMarkerNamesTemplate()
    {
        var lines = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            lines.Add(i switch
            {
                500 => "2024-01-01T00:08:20Z ERROR db connection refused (pool=main)",
                501 => "2024-01-01T00:08:21Z INFO retrying in 5s",
                1500 => "2024-01-01T00:25:00Z ERROR db connection refused (pool=main)",
                _ when i % 50 == 7 => $"2024-01-01T00:00:{i % 60:D2}Z WARN slow query took {i} ms",
                _ => $"2024-01-01T00:00:{i % 60:D2}Z INFO GET /health 200 {i % 9} ms",
            });
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        var text = output.Output;

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, text, output.Spans));
        Assert.Contains("ERROR db connection refused (pool=main) (×2 similar)", text, StringComparison.Ordinal);
        Assert.Contains("INFO retrying in 5s", text, StringComparison.Ordinal); // context after the error
        Assert.Contains("WARN slow query took 7 ms (×40 similar)", text, StringComparison.Ordinal);
        Assert.True(text.Split('\n').Length < 30, text);

        var marker = Assert.Single(MarkerFormat.FindAll(text));
        Assert.Equal(2000, marker.Marker.Total);
        Assert.Equal(2000 - (text.Split('\n').Length - 1), marker.Marker.Omitted);
        Assert.Contains("INFO GET /health <*> <*> ms", marker.Marker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_DistinctErrors_AreAllKeptVerbatim()
    {
        var lines = Enumerable.Range(0, 300).Select(i => i % 30 == 0 ? $"ERROR step {i / 30} failed: {(char)('a' + i / 30)}-missing" : $"INFO tick {i}").ToList();
        var input = string.Join('\n', lines);
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        for (var k = 0; k < 10; k++)
        {
            Assert.Contains($"ERROR step {k} failed: {(char)('a' + k)}-missing", output.Output, StringComparison.Ordinal);
        }

        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_TestRunnerOutput_DropsPassingTestsAndKeepsFailuresWhole()
    {
        var lines = new List<string> { "============================= test session starts ==============================" };
        for (var i = 0; i < 120; i++)
        {
            lines.Add($"tests/test_mod.py::test_case_{i} PASSED");
        }

        lines.Add("tests/test_mod.py::test_broken FAILED");
        lines.Add("=================================== FAILURES ===================================");
        lines.Add("_________________________________ test_broken __________________________________");
        lines.Add("    def test_broken():");
        lines.Add(">       assert compute(2) == 5");
        lines.Add("E       assert 4 == 5");
        lines.Add("tests/test_mod.py:12: AssertionError");
        lines.Add("=========================== short test summary info ============================");
        lines.Add("FAILED tests/test_mod.py::test_broken - assert 4 == 5");
        lines.Add("========================= 1 failed, 120 passed in 0.52s =========================");
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.DoesNotContain("test_case_5 PASSED", output.Output, StringComparison.Ordinal);
        foreach (var line in lines.Skip(121))
        {
            Assert.Contains(line, output.Output, StringComparison.Ordinal);
        }

        Assert.Contains("passing-test lines", MarkerFormat.FindAll(output.Output).Single().Marker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_DotnetBuildWithStackTrace_KeepsErrorAndFrames()
    {
        var lines = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            lines.Add($"  Restored /src/p{i}/p{i}.csproj (in 12 ms).");
        }

        lines.Add("Unhandled exception. System.InvalidOperationException: Sequence contains no elements");
        lines.Add("   at System.Linq.ThrowHelper.ThrowNoElementsException()");
        lines.Add("   at App.Program.Main(String[] args) in /src/Program.cs:line 12");
        lines.Add("/src/App.cs(10,5): error CS1002: ; expected [/src/App.csproj]");
        lines.Add("Build FAILED.");
        lines.Add("    1 Error(s)");
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        foreach (var line in lines.Skip(100))
        {
            Assert.Contains(line, output.Output, StringComparison.Ordinal);
        }

        Assert.True(output.Output.Length < input.Length / 3);
    }

    [Fact]
    public void Compress_CrlfLines_PutTheCountBeforeTheCarriageReturn()
    {
        var input = string.Concat(Enumerable.Range(0, 100).Select(i => $"[notice] child {i} started\r\n"));
        var output = new LogCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.StartsWith("[notice] child 0 started (×100 similar)\r\n", output.Output, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Theory]
    [InlineData("blk_-1608999687919862906 served to /10.251.42.84:50010", "blk_-<*> served to /<*>")]
    [InlineData("sshd[24200]: Failed password for root", "sshd[<*>]: Failed password for root")]
    [InlineData("  took   12.5 ms  ", "took <*> ms")]
    public void Mask_ReplacesNumbersAndCollapsesWhitespace(string line, string expected)
    {
        Assert.Equal(expected, TemplateMiner.Mask(line));
    }
}
