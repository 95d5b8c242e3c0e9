using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Spans;

public sealed class SpanMapTests
{
    private static readonly CompressionPipeline Pipeline = new(options: PipelineOptions.Default with { MinChars = 0, MinSavedFraction = -10, TimeBudget = TimeSpan.FromSeconds(30) });

    /// <summary>Random inputs of every type the pipeline compresses; Kept byte ranges must point at
    /// exactly those bytes of the original, and the output must be the same on every run.</summary>
    [Fact]
    public void KeptRanges_PointAtTheSameOriginalBytes_AndOutputIsDeterministic()
    {
        var line = Gen.OneOf(
            Gen.Elements("INFO GET /health 200 3 ms", "ERROR db timeout after 30s", "WARN slow query 812 ms", "  at Foo.Bar() in X.cs:line 12", "DEBUG ü ✓ 日本 🚀"),
            Gen.Choose(0, 99999).Select(n => $"2024-01-01T00:00:{n % 60:D2}Z INFO request {n} served in {n % 97} ms"));
        var log = Gen.Choose(20, 200).SelectMany(n => Gen.ListOf(line, n)).Select(l => string.Join('\n', l) + "\n");
        var item = Gen.Choose(0, 1000).Select(n => $"{{\"id\":{n},\"name\":\"n{n % 7}é\",\"status\":\"{(n % 53 == 0 ? "failed" : "ok")}\",\"ms\":{(n % 97 == 0 ? 99999 : n % 13)}}}");
        var json = Gen.Choose(1, 80).SelectMany(n => Gen.ListOf(item, n)).Select(l => "{\"items\": [\n  " + string.Join(",\n  ", l) + "\n]}");
        var input = Gen.OneOf(log, json);

        Prop.ForAll(Arb.From(input), text =>
        {
            var result = Pipeline.Compress(text);
            var again = Pipeline.Compress(text);
            var src = Encoding.UTF8.GetBytes(text);
            var outBytes = Encoding.UTF8.GetBytes(result.Output);
            var at = 0;
            foreach (var s in result.Spans)
            {
                if (s.OutStart != at)
                {
                    return false.Label($"gap at {at}: {s}");
                }

                at = s.OutEnd;
                if (s.Kind == SpanKind.Kept && !outBytes.AsSpan(s.OutStart, s.OutEnd - s.OutStart).SequenceEqual(src.AsSpan(s.SrcStart, s.SrcEnd - s.SrcStart)))
                {
                    return false.Label($"kept span {s} does not match the original bytes");
                }
            }

            return (at == outBytes.Length && result.Output == again.Output && result.Spans.SequenceEqual(again.Spans))
                .Label($"coverage {at}/{outBytes.Length}, deterministic {result.Output == again.Output}");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ToBytes_CountsMultiByteCharacters()
    {
        const string source = "é日x🚀y";
        var spans = new[] { new Span(SpanKind.Kept, 0, 3, 2, 5), new Span(SpanKind.Marker, 3, 4, -1, -1) };
        var bytes = SpanMap.ToBytes(source, "x🚀!", spans);
        Assert.Equal(new ByteSpan(SpanKind.Kept, 0, 5, 5, 10), bytes[0]);
        Assert.Equal(new ByteSpan(SpanKind.Marker, 5, 6, -1, -1), bytes[1]);
    }

    [Fact]
    public void Validate_ReportsGapsAndWrongKeptText()
    {
        Assert.Null(SpanMap.Validate("abc", "bc", [new Span(SpanKind.Kept, 0, 2, 1, 3)]));
        Assert.NotNull(SpanMap.Validate("abc", "bc", [new Span(SpanKind.Kept, 0, 2, 0, 2)]));
        Assert.NotNull(SpanMap.Validate("abc", "bc", [new Span(SpanKind.Kept, 0, 1, 1, 2)]));
    }
}
