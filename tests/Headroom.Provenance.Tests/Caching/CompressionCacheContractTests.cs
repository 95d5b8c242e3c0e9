using Headroom.Compressors.Spans;
using Headroom.Provenance.Caching;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Caching;

/// <summary>The compression cache's contract, run against both backends.</summary>
public abstract class CompressionCacheContractTests
{
    private static readonly CompressionCacheKey Key = new("0123456789abcdef01234567", "json", "1.2.0", "maxItems=20");

    internal abstract Task<Backend> OpenAsync();

    internal abstract Task<Backend> ReopenAsync();

    [Fact]
    public async Task GetOrAdd_ThenReopen_ReplaysTheSameBytesAndSpans()
    {
        var output = "[{\"id\":1}, ...18 more items: retrieve 0123456789abcdef01234567]\n"u8.ToArray();
        Span[] spans = [new(SpanKind.Kept, 0, 10, 0, 10), new(SpanKind.Marker, 10, output.Length, 10, 4000)];
        await using (var backend = await OpenAsync())
        {
            Assert.Null(await backend.Cache.TryGetAsync(Key));
            await backend.Cache.GetOrAddAsync(Key, new CompressionCacheEntry(output, spans));
        }

        await using var restarted = await ReopenAsync();
        var hit = await restarted.Cache.TryGetAsync(Key);

        Assert.NotNull(hit);
        Assert.Equal(output, hit.Output.ToArray());
        Assert.Equal(spans, hit.Spans);
    }

    [Fact]
    public async Task GetOrAdd_SecondWriter_GetsTheFirstWritersBytes()
    {
        await using var backend = await OpenAsync();
        var first = await backend.Cache.GetOrAddAsync(Key, new CompressionCacheEntry("first"u8.ToArray(), []));
        var second = await backend.Cache.GetOrAddAsync(Key, new CompressionCacheEntry("second"u8.ToArray(), [new(SpanKind.Summary, 0, 6, -1, -1)]));

        Assert.Equal("first"u8.ToArray(), first.Output.ToArray());
        Assert.Equal("first"u8.ToArray(), second.Output.ToArray());
        Assert.Empty(second.Spans);
    }

    [Fact]
    public async Task DifferentVersionOrOptions_AreDifferentEntries()
    {
        await using var backend = await OpenAsync();
        await backend.Cache.GetOrAddAsync(Key, new CompressionCacheEntry("v1"u8.ToArray(), []));

        Assert.Null(await backend.Cache.TryGetAsync(Key with { CompressorVersion = "1.3.0" }));
        Assert.Null(await backend.Cache.TryGetAsync(Key with { OptionsFingerprint = "maxItems=10" }));
        Assert.Null(await backend.Cache.TryGetAsync(Key with { Compressor = "log" }));
    }

    [Fact]
    public async Task EmptyOptionsAndEmptySpans_AreValuesOfTheirOwn_NotMissing()
    {
        // The live zone keys every decision with options "" and stores "as sent" decisions without spans.
        await using var backend = await OpenAsync();
        var empty = Key with { OptionsFingerprint = "" };
        Assert.Null(await backend.Cache.TryGetAsync(empty));
        await backend.Cache.GetOrAddAsync(empty, new CompressionCacheEntry("as sent"u8.ToArray(), []));

        var hit = await backend.Cache.TryGetAsync(empty);
        Assert.NotNull(hit);
        Assert.Equal("as sent"u8.ToArray(), hit.Output.ToArray());
        Assert.Empty(hit.Spans);
        Assert.Null(await backend.Cache.TryGetAsync(Key));
    }
}
