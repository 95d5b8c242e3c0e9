using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Search;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Search;

public sealed class SearchCompressorTests
{
    private const string Hash = "0123456789abcdef01234567";

    [Fact]
    public void Compress_GroupsByFile_CapsMatches_KeepsFirstLastAndQueryHits_NamesEveryFile()
    {
        var lines = new List<string>();
        for (var f = 0; f < 40; f++)
        {
            for (var l = 1; l <= 20; l++)
            {
                var hit = f == 33 && l == 9 ? "the retry budget is computed here" : $"some match number {l} of file {f}";
                lines.Add($"src/module{f:D2}/file.cs:{l * 10}:    {hit}");
            }
        }

        var input = string.Join('\n', lines) + "\n";
        var output = new SearchCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "retry budget" });
        var text = output.Output;

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, text, output.Spans));
        Assert.StartsWith("src/module33/file.cs:10:", text, StringComparison.Ordinal); // most relevant file first
        Assert.Contains("src/module33/file.cs:90:    the retry budget is computed here", text, StringComparison.Ordinal);
        Assert.Contains("src/module00/file.cs:10:", text, StringComparison.Ordinal);
        Assert.Contains("src/module00/file.cs:200:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("src/module00/file.cs:100:", text, StringComparison.Ordinal);
        for (var f = 0; f < 40; f++)
        {
            Assert.Contains($"src/module{f:D2}/file.cs", text, StringComparison.Ordinal);
        }

        var marker = Assert.Single(MarkerFormat.FindAll(text)).Marker;
        Assert.Equal(800, marker.Total);
        Assert.True(text.Length < input.Length / 3);
    }

    [Fact]
    public void Compress_Query_KeepsTheHitTheRankerPutsFirstAmongManyOfOneFile()
    {
        var lines = Enumerable.Range(1, 60).Select(l => $"docs/http.md:{l}:{(l == 31 ? "Requests that wait longer than the idle timeout are closed by the server." : $"attribute number {l} describes a header")}");
        var input = string.Join('\n', lines) + "\n";
        var request = new CompressionRequest { OriginalHash = Hash, Query = "when is an idle connection closed?" };
        var output = new SearchCompressor().Compress(input, request);
        var unranked = new SearchCompressor(new ZeroRanker()).Compress(input, request);

        Assert.Contains("docs/http.md:31:Requests that wait longer than the idle timeout", output.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("docs/http.md:31:", unranked.Output, StringComparison.Ordinal);
        Assert.Equal("bm25", output.Scorer);
        Assert.Equal(output.Output, new SearchCompressor().Compress(input, request).Output);
    }

    private sealed class ZeroRanker : Headroom.Compressors.Relevance.IRelevanceRanker
    {
        public string Name => "zero";

        public Headroom.Compressors.Relevance.RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request) => new(new double[candidates.Count], Name, null);
    }

    [Fact]
    public void Compress_LongLine_KeepsPrefixAndTheWindowAroundTheQuery()
    {
        var longText = new string('a', 400) + " needle " + new string('b', 400);
        var input = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"docs/x.md:{i}:{(i == 5 ? longText : "short line " + i)}")) + "\n";
        var output = new SearchCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "needle" });
        Assert.Contains(" needle ", output.Output, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }
}
