using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Text;

/// <summary>Span-map invariants every compressor output must hold.</summary>
internal static class SpanAssert
{
    public static void Valid(string input, CompressorOutput output)
    {
        int pos = 0;
        foreach (var span in output.Spans)
        {
            Assert.Equal(pos, span.OutStart);
            Assert.True(span.OutEnd > span.OutStart, $"empty span at {pos}");
            if (span.Kind == SpanKind.Kept)
            {
                Assert.Equal(
                    input.AsSpan(span.SrcStart, span.SrcEnd - span.SrcStart).ToString(),
                    output.Output.AsSpan(span.OutStart, span.OutEnd - span.OutStart).ToString());
            }

            pos = span.OutEnd;
        }

        Assert.Equal(output.Output.Length, pos);
        if (output.Lossy)
        {
            Assert.Contains(output.Spans, s => s.Kind == SpanKind.Marker);
        }
    }
}
