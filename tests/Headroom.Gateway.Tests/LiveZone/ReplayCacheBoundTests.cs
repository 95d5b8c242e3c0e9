using Headroom.Gateway.LiveZone;
using Headroom.Provenance;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>
/// The in-process replay cache is bounded in bytes, not only in entries: downscaled images and long
/// summaries held whole used to keep up to 100,000 entries of any size alive.
/// </summary>
public sealed class ReplayCacheBoundTests
{
    private static ReplayEntry Entry(int bytes, byte fill) => new(Enumerable.Repeat(fill, bytes).ToArray(), "log", "h", 10, 1, true, [new ByteSpan(SpanKind.Kept, 0, bytes, 0, bytes)]);

    [Fact]
    public async Task LargeEntries_RetireGenerationsByBytes_SoAtMostTwoBoundsAreHeld()
    {
        const long Bound = 1 << 20;
        var cache = new ReplayCache(persisted: null, generationBytes: Bound, generationEntries: 50_000);

        for (var i = 0; i < 200; i++)
        {
            await cache.AddAsync("k" + i, Entry(100_000, (byte)i), CancellationToken.None);
            Assert.True(cache.RetainedBytes <= (2 * Bound) + 200_000, $"after {i + 1} entries of 100 KB the cache holds {cache.RetainedBytes:N0} bytes");
        }

        // The newest decisions are still served from memory, byte for byte; the oldest have been let go.
        var newest = await cache.TryGetAsync("k199", CancellationToken.None);
        Assert.Equal(Entry(100_000, 199).Token, newest!.Token);
        Assert.Null(await cache.TryGetAsync("k0", CancellationToken.None));
    }

    [Fact]
    public async Task WhatFallsOutOfMemory_IsReadBackFromTheStore_ByteIdentical()
    {
        var dir = Directory.CreateTempSubdirectory("headroom-replay-bound-").FullName;
        await using var store = await ProvenanceStore.OpenAsync("sqlite:" + Path.Combine(dir, "s.db"), new ProvenanceOptions { SpoolDirectory = Path.Combine(dir, "spool"), RunAsyncProjections = false });
        var cache = new ReplayCache(store.CompressionCache, generationBytes: 1 << 20);
        var first = Entry(300_000, 7);
        await cache.AddAsync("first", first, CancellationToken.None);
        for (var i = 0; i < 20; i++)
        {
            await cache.AddAsync("filler" + i, Entry(300_000, (byte)i), CancellationToken.None);
        }

        Assert.False(cache.HoldsInMemory("first"), "the entry never left memory; the test proved nothing");
        var again = await cache.TryGetAsync("first", CancellationToken.None);

        Assert.Equal(first.Token, again!.Token);
        Assert.Equal(first.Spans, again.Spans);
    }

    [Fact]
    public async Task ManySmallEntries_StillRetireByCount()
    {
        var cache = new ReplayCache(persisted: null, generationBytes: long.MaxValue, generationEntries: 100);
        for (var i = 0; i < 1_000; i++)
        {
            await cache.AddAsync("k" + i, Entry(10, 1), CancellationToken.None);
        }

        Assert.Null(await cache.TryGetAsync("k0", CancellationToken.None));
        Assert.NotNull(await cache.TryGetAsync("k999", CancellationToken.None));
    }
}
