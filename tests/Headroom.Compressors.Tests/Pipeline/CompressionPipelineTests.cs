using System.Text;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tokens;
using Xunit;

namespace Headroom.Compressors.Tests.Pipeline;

public sealed class CompressionPipelineTests
{
    private static readonly string Log = string.Join('\n', Enumerable.Range(0, 400).Select(i => $"2024-05-01T10:00:{i % 60:D2}Z INFO GET /health 200 {i % 7} ms")) + "\n";

    [Fact]
    public void Compress_Log_ReturnsResultWithTokensHashTypeAndByteSpans()
    {
        // Generous budget: the first call pays JIT on a shared build machine (the budget has its own test).
        var result = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(10) }).Compress(Log);

        Assert.Null(result.Reason);
        Assert.True(result.Compressed);
        Assert.True(result.Lossy);
        Assert.Equal(ContentType.Log, result.Type);
        Assert.Equal("log", result.Compressor);
        Assert.Equal(ContentHash.Compute(Log), result.Hash);
        Assert.Equal(O200kTokenizer.Instance.CountTokens(Log), result.TokensBefore);
        Assert.Equal(O200kTokenizer.Instance.CountTokens(result.Output), result.TokensAfter);
        Assert.True(result.TokensAfter < result.TokensBefore / 5);
        Assert.Equal(result.Hash, MarkerFormat.FindAll(result.Output).Single().Marker.Hash);
        Assert.Equal(Encoding.UTF8.GetByteCount(result.Output), result.Spans[^1].OutEnd);
    }

    [Fact]
    public void Compress_ShortInput_IsReturnedAsIs()
    {
        var result = new CompressionPipeline().Compress("short");
        Assert.Equal("short", result.Output);
        Assert.Contains("shorter than 500", result.Reason, StringComparison.Ordinal);
        Assert.Equal([new ByteSpan(SpanKind.Kept, 0, 5, 0, 5)], result.Spans);
    }

    [Fact]
    public void Compress_SmallErrorOutput_IsKeptVerbatim()
    {
        var result = new CompressionPipeline().Compress(Log[..4000], new CompressionRequest { IsError = true });
        Assert.Equal(Log[..4000], result.Output);
        Assert.Contains("error output", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_ThrowingCompressor_FailsOpenWithReason()
    {
        var pipeline = new CompressionPipeline(new CompressorRegistry().Add(ContentType.Log, new Fake(_ => throw new InvalidOperationException("boom"))));
        var result = pipeline.Compress(Log);
        Assert.Equal(Log, result.Output);
        Assert.Equal("compressor error: InvalidOperationException: boom", result.Reason);
        Assert.Equal(result.TokensBefore, result.TokensAfter);
    }

    [Fact]
    public void Compress_SlowCompressor_ReturnsOriginalAfterTheBudget()
    {
        var pipeline = new CompressionPipeline(
            new CompressorRegistry().Add(ContentType.Log, new Fake(r =>
            {
                while (true)
                {
                    r.CancellationToken.ThrowIfCancellationRequested();
                    Thread.Sleep(1);
                }
            })),
            PipelineOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(20) });
        var result = pipeline.Compress(Log);
        Assert.Equal(Log, result.Output);
        Assert.Contains("time budget of 20 ms exceeded", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_FirstUseLoad_IsPaidBeforeTheBudget_SoTheFirstCallDecidesLikeTheNext()
    {
        // A compressor that loads a parser on first use (Roslyn for C#) must not turn its first output into an
        // original: the same input would then give other bytes once warm, and replay depends on them.
        var loading = new WarmingFake();
        var pipeline = new CompressionPipeline(new CompressorRegistry().Add(ContentType.Log, loading), PipelineOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(20) });

        var first = pipeline.Compress(Log);
        var second = pipeline.Compress(Log);

        Assert.Equal(1, loading.Loads);
        Assert.Null(first.Reason);
        Assert.Equal(second.Output, first.Output);
        Assert.True(first.Compressed);
    }

    [Fact]
    public void Compress_SmallSaving_IsRejected()
    {
        var pipeline = new CompressionPipeline(new CompressorRegistry().Add(ContentType.Log, new Fake(_ => null, (input, _) => input[..(input.Length * 95 / 100)])));
        var result = pipeline.Compress(Log);
        Assert.Equal(Log, result.Output);
        Assert.Contains("saved less than 10", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_LossyOutputWithoutMarker_IsRejected()
    {
        var pipeline = new CompressionPipeline(new CompressorRegistry().Add(ContentType.Log, new Fake(_ => null, (input, _) => input[..100], lossy: true)));
        var result = pipeline.Compress(Log);
        Assert.Equal(Log, result.Output);
        Assert.Contains("has no marker", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_ForcedType_SkipsDetection()
    {
        var result = new CompressionPipeline().Compress(Log, forcedType: ContentType.Diff);
        Assert.Equal(ContentType.Diff, result.Type);
        Assert.Equal(1.0, result.Confidence);
    }

    private sealed class Fake(Func<CompressionRequest, string?> action, Func<string, CompressionRequest, string>? output = null, bool lossy = false) : ICompressor
    {
        public string Name => "fake";

        public int Version => 1;

        public CompressorOutput Compress(string input, CompressionRequest request)
        {
            action(request);
            var text = output?.Invoke(input, request) ?? input;
            return new CompressorOutput(text, [new Span(SpanKind.Kept, 0, text.Length, 0, text.Length)]) { Lossy = lossy };
        }
    }

    /// <summary>Sleeps past the wall cap (10 x 20 ms) on its first warm-up, then compresses to half at once.</summary>
    private sealed class WarmingFake : ICompressor, IWarmsUp
    {
        public int Loads { get; private set; }

        public string Name => "warming";

        public int Version => 1;

        public void WarmUp(string input, string? language)
        {
            if (Loads == 0)
            {
                Loads++;
                Thread.Sleep(400);
            }
        }

        public CompressorOutput Compress(string input, CompressionRequest request)
        {
            var text = input[..(input.Length / 2)];
            return new CompressorOutput(text, [new Span(SpanKind.Kept, 0, text.Length, 0, text.Length)]);
        }
    }
}
