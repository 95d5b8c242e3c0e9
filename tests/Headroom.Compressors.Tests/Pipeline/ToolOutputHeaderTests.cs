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

    private const string GeminiHead = "<untrusted_context>\nOutput: ";

    [Theory]
    [InlineData("hello\nworld", "\nProcess Group PGID: 4242\n</untrusted_context>")]
    [InlineData("hello", "\nError: boom\nExit Code: 1\nProcess Group PGID: 7\n</untrusted_context>\n")]
    [InlineData("hello", "\n</untrusted_context>")]
    public void Find_TheGeminiCliEnvelope_HeaderAndTrailer(string output, string trailer) =>
        Assert.Equal((GeminiHead.Length, trailer.Length), ToolOutputHeader.Find(GeminiHead + output + trailer));

    [Theory]
    [InlineData(GeminiHead + "no closing tag\nProcess Group PGID: 7\n", 28, 0)]
    [InlineData("<untrusted_context>\nsome text without an output line\n</untrusted_context>", 0, 0)]
    [InlineData("<div>\nOutput: x\n</span>", 6 + 8, 0)]
    public void Find_WithoutAClosingTag_HasNoTrailer(string text, int header, int trailer) =>
        Assert.Equal((header, trailer), ToolOutputHeader.Find(text));

    [Fact]
    public void LogInsideTheGeminiCliEnvelope_IsCompressedAsALog_AndTheEnvelopeIsKept()
    {
        var lines = Enumerable.Range(0, 328).Select(i => $"2026-12-02T10:{i / 60:D2}:{i % 60:D2}.000Z INFO [http] GET /api/orders/{1000 + i} 200 in {10 + i % 17} ms").ToList();
        lines.Insert(100, "2026-12-02T10:01:40.500Z ERROR [billing] charge failed for invoice inv_4121: card declined");
        lines.Insert(250, "2026-12-02T10:04:10.500Z ERROR [billing] charge failed for invoice inv_4287: card declined");
        const string Tail = "\nProcess Group PGID: 31337\n</untrusted_context>";
        var text = GeminiHead + string.Join('\n', lines) + Tail;

        var result = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(10) }).Compress(text);

        Assert.True(result.Compressed, result.Reason);
        Assert.Equal(ContentType.Log, result.Type);
        Assert.StartsWith(GeminiHead, result.Output, StringComparison.Ordinal);
        Assert.EndsWith(Tail, result.Output, StringComparison.Ordinal);
        Assert.Contains("inv_4121", result.Output, StringComparison.Ordinal);
        Assert.Contains("inv_4287", result.Output, StringComparison.Ordinal);
        Assert.True(result.TokensAfter < result.TokensBefore / 3, $"{result.TokensBefore} -> {result.TokensAfter}");
        var last = result.Spans[^1];
        Assert.Equal(SpanKind.Kept, last.Kind);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(Tail), last.SrcEnd - last.SrcStart);
    }
}
