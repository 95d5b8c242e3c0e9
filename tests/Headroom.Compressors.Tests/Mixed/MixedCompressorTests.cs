using System.Text;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Mixed;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tests.Code;
using Headroom.Compressors.Tests.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Mixed;

public sealed class MixedCompressorTests
{
    private const string Hash = "0a1b2c3d4e5f0a1b2c3d4e5f";

    private static string Document()
    {
        var sb = new StringBuilder();
        sb.Append("# Incident notes\n\nThe deploy failed twice. Here is the handler:\n\n```csharp\n").Append(CodeFixtures.CSharp()).Append("\n```\n\n");
        sb.Append("The server log:\n\n");
        for (int i = 0; i < 60; i++)
        {
            sb.Append("2026-11-22 01:00:").Append((i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture))
                .Append(i == 41 ? " ERROR Connection refused to db-7 port 5432\n" : " INFO GET /health 200 3 ms\n");
        }

        sb.Append("\nAnd the response body:\n\n```json\n[\n");
        for (int i = 0; i < 120; i++)
        {
            sb.Append("  {\"id\": ").Append(i).Append(", \"status\": \"").Append(i == 77 ? "failed" : "ok").Append("\", \"region\": \"eu-west-1\"}").Append(i < 119 ? ",\n" : "\n");
        }

        sb.Append("]\n```\n\nThat is all.\n");
        return sb.ToString();
    }

    [Fact]
    public void Split_FindsFencedCodeLogRunAndJson()
    {
        string text = Document();
        var sections = MixedSplitter.Split(text);

        Assert.Equal(0, sections[0].Start);
        Assert.Equal(text.Length, sections[^1].End);
        for (int i = 1; i < sections.Count; i++)
        {
            Assert.Equal(sections[i - 1].End, sections[i].Start);
        }

        Assert.Contains(sections, s => s.Type == ContentType.Code && s.Language == "csharp");
        Assert.Contains(sections, s => s.Type == ContentType.Log);
        Assert.Contains(sections, s => s.Type == ContentType.Json);
    }

    [Fact]
    public void Compress_SendsEachSectionToItsCompressor()
    {
        string text = Document();
        var result = new MixedCompressor().Compress(text, new CompressionRequest { OriginalHash = Hash });
        string output = result.Output;

        Assert.True(result.Lossy);
        Assert.True(output.Length < text.Length / 2, $"{output.Length} of {text.Length}");
        Assert.Contains("# Incident notes", output, StringComparison.Ordinal);
        Assert.Contains("```csharp\n", output, StringComparison.Ordinal);
        Assert.Contains("public bool ParseLine(string line)", output, StringComparison.Ordinal);
        Assert.Contains("(body of ParseLine)", output, StringComparison.Ordinal);
        Assert.Contains("Connection refused to db-7", output, StringComparison.Ordinal);
        Assert.Contains("That is all.", output, StringComparison.Ordinal);
        Assert.All(MarkerFormat.FindAll(output), m => Assert.Equal(Hash, m.Marker.Hash));
        Assert.True(MarkerFormat.FindAll(output).Count >= 3);
    }

    [Fact]
    public void Compress_SpanMapCoversTheWholeOutput()
    {
        string text = Document();
        var result = new MixedCompressor().Compress(text, new CompressionRequest { OriginalHash = Hash });

        SpanAssert.Valid(text, result);
        Assert.Equal(SpanKind.Kept, result.Spans[0].Kind);
        Assert.Equal(0, result.Spans[0].SrcStart);
    }

    [Fact]
    public void Compress_WithoutCompressibleSections_IsVerbatim()
    {
        const string text = "Some notes.\n\n```python\nprint('hi')\n```\n\nMore notes.\n";
        var result = new MixedCompressor().Compress(text, CompressionRequest.Empty);

        Assert.False(result.Lossy);
        Assert.Equal(text, result.Output);
    }

    [Fact]
    public void Compress_IsDeterministic()
    {
        string text = Document();
        var a = new MixedCompressor().Compress(text, new CompressionRequest { OriginalHash = Hash });
        var b = new MixedCompressor().Compress(text, new CompressionRequest { OriginalHash = Hash });

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }
}
