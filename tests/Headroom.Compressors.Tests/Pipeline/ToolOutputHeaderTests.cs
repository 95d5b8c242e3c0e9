using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Pipeline;

public sealed class ToolOutputHeaderTests
{
    private const string Header = "Exit code: 0\nWall time: 0.3 seconds\nOutput:\n";

    [Theory]
    [InlineData(Header + "{\"a\":1}", 44)]
    [InlineData("Chunk ID: 1f\nWall time: 1.0 seconds\nProcess exited with code 0\nOriginal token count: 120\nOutput:\nhello\n", 97)]
    [InlineData("{\"Output:\":1}\nOutput:\n", 0)]
    [InlineData("{\"json\": true}\nOutput:\nx", 0)]
    [InlineData("Exit code: 0\nno output line", 0)]
    public void Length_FindsOnlyAStatusHeaderEndingInOutput(string text, int expected) =>
        Assert.Equal(expected, ToolOutputHeader.Length(text));

    [Fact]
    public void JsonBehindAHeader_IsCompressedAsJson_AndTheHeaderIsKept()
    {
        var items = string.Join(',', Enumerable.Range(0, 300).Select(i => $"{{\"id\":{i},\"name\":\"artifact-{i}\",\"size_in_bytes\":{i * 1024},\"expired\":{(i % 50 == 0 ? "true" : "false")}}}"));
        var text = Header + "{\"total_count\":300,\"artifacts\":[" + items + "]}";

        var result = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(10) }).Compress(text);

        Assert.True(result.Compressed, result.Reason);
        Assert.Equal(ContentType.Json, result.Type);
        Assert.StartsWith(Header, result.Output, StringComparison.Ordinal);
        Assert.Equal(new ByteSpan(SpanKind.Kept, 0, Header.Length, 0, Header.Length), result.Spans[0]);
        Assert.True(result.TokensAfter < result.TokensBefore / 2);
    }
}
