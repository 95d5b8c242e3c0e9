using System.Globalization;
using Headroom.Compressors.Spans;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Tests.Memory;

/// <summary>
/// The tables that gain an entry per compressed output or per session: a soak over 50,000 sessions held
/// 38k string-keyed nodes each in the retrieval-learning origins and the held-originals set, a copy of the
/// system prompt per cache session, and a 20-byte span per kept line in every replay entry.
/// </summary>
public sealed class PerOutputTablesTests
{
    private static string Hash(long i) => i.ToString("x24", CultureInfo.InvariantCulture);

    [Fact]
    public void HeldOriginals_AreKeptApartByTenantAndHash_InAFixedTable()
    {
        var held = new TenantOriginals();
        var a = TenantId.Parse("t_a");
        var b = TenantId.Parse("t_b");
        held.Add(a, Hash(1));

        Assert.True(held.Contains(a, Hash(1)));
        Assert.False(held.Contains(b, Hash(1)));
        Assert.False(held.Contains(a, Hash(2)));

        // Hashes alike in their first 16 digits stay apart (all 96 bits are folded into the key).
        Assert.NotEqual(TenantOriginals.Key(a, "000000000000000000000001"), TenantOriginals.Key(a, "000000000000000000000002"));
        Assert.NotEqual(TenantOriginals.Key(a, "100000000000000000000000"), TenantOriginals.Key(a, "200000000000000000000000"));
    }

    [Fact]
    public void HeldOriginals_ManyMoreThanTheTable_ForgetTheOldest_KeepTheNewest()
    {
        var held = new TenantOriginals();
        var tenant = TenantId.Parse("t_a");
        const int Added = TenantOriginals.Slots * 4;
        for (var i = 0; i < Added; i++)
        {
            held.Add(tenant, Hash(i));
        }

        var newest = Enumerable.Range(Added - 1_000, 1_000).Count(i => held.Contains(tenant, Hash(i)));
        var oldest = Enumerable.Range(0, 10_000).Count(i => held.Contains(tenant, Hash(i)));

        Assert.True(newest >= 990, $"only {newest} of the newest 1,000 are held");
        Assert.True(oldest < 500, $"{oldest} of the first 10,000 are still held: the table is not bounded");
    }

    [Fact]
    public async Task RetrievalLearning_ManyMoreOutputsThanItRemembers_CountsEachOnce_AndForgetsTheOldest()
    {
        var dir = Directory.CreateTempSubdirectory("headroom-learning-bound-").FullName;
        try
        {
            await using var store = await ProvenanceStore.OpenAsync("sqlite:" + Path.Combine(dir, "s.db"), new ProvenanceOptions { SpoolDirectory = Path.Combine(dir, "spool"), RunAsyncProjections = false });
            var learning = new RetrievalLearning(store, Options.Create(new GatewayOptions()), NullLogger<RetrievalLearning>.Instance);
            const int Outputs = RetrievalLearning.OriginSlots * 8;
            for (var i = 0; i < Outputs; i++)
            {
                learning.Compressed("Bash", "log", Hash(i));
            }

            learning.Compressed("Bash", "log", Hash(Outputs - 1)); // replayed: not a new output
            for (var i = 0; i < 100; i++)
            {
                learning.Retrieved(Hash(i)); // long gone
            }

            for (var i = Outputs - 100; i < Outputs; i++)
            {
                learning.Retrieved(Hash(i));
            }

            var bash = Assert.Single(learning.Snapshot());
            Assert.Equal(Outputs, bash.Compressed);
            Assert.InRange(bash.Retrieved, 95, 110);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RememberingAnOutput_AllocatesNothingPerOutput_InEitherTable()
    {
        // Before: a string key and a dictionary node per output in each table (38k of each after a soak).
        var hashes = Enumerable.Range(0, 100_000).Select(i => Hash(i)).ToArray();
        var tenant = TenantId.Parse("t_a");
        var held = new TenantOriginals();
        var dir = Directory.CreateTempSubdirectory("headroom-learning-alloc-").FullName;
        try
        {
            await using var store = await ProvenanceStore.OpenAsync("sqlite:" + Path.Combine(dir, "s.db"), new ProvenanceOptions { SpoolDirectory = Path.Combine(dir, "spool"), RunAsyncProjections = false });
            var learning = new RetrievalLearning(store, Options.Create(new GatewayOptions()), NullLogger<RetrievalLearning>.Instance);
            learning.Compressed("Bash", "log", hashes[0]);
            held.Add(tenant, hashes[0]);

            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var hash in hashes)
            {
                learning.Compressed("Bash", "log", hash);
                held.Add(tenant, hash);
                _ = held.Contains(tenant, hash);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 10_000, $"{allocated:N0} bytes allocated to remember {hashes.Length:N0} outputs");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CacheSessions_OfOneAgent_ShareOneCopyOfItsSystemPrompt()
    {
        var table = new SystemTextTable();
        var prompt = System.Text.Encoding.UTF8.GetBytes("\"You are a coding agent. Read before you edit.\"");
        var hash = PrefixFingerprint.Hash(prompt);
        var fingerprint = new PrefixFingerprint
        {
            Model = "m", Entries = [], Tools = [], SystemRanges = new Dictionary<ulong, (int, int)> { [hash] = (0, prompt.Length) },
        };
        var first = new CacheSession();
        var second = new CacheSession();

        first.KeepSystemTexts(fingerprint, prompt, table);
        second.KeepSystemTexts(fingerprint, prompt, table);

        Assert.Equal("\"You are a coding agent. Read before you edit.\"", first.SystemTexts[hash]);
        Assert.Same(first.SystemTexts[hash], second.SystemTexts[hash]);
    }

    [Fact]
    public void CacheSessionStore_LongSessions_StayWithinItsByteBound()
    {
        // 1,024 sessions of eight 500-block fingerprints would keep 160 MB; the byte bound drops the oldest sessions first.
        const long Bound = 1L << 20;
        var store = new CacheSessionStore(Options.Create(new CachingOptions()), maxBytes: Bound);
        var entries = Enumerable.Range(0, 500).Select(i => new PrefixEntry(2, i, 0, -1, (ulong)i, (ulong)i, i * 100, BlockKind.Text)).ToArray();
        long largest = 0;
        for (var s = 0; s < 200; s++)
        {
            var session = store.Get("t", "session-" + s.ToString(CultureInfo.InvariantCulture));
            for (var turn = 0; turn < 12; turn++)
            {
                var fingerprint = new PrefixFingerprint { Model = "m", Entries = entries, Tools = [("Bash", 1UL)], SystemRanges = new Dictionary<ulong, (int, int)>() };
                lock (session.Gate)
                {
                    store.Charge(session.Remember(fingerprint));
                }
            }

            largest = Math.Max(largest, session.Bytes);
            Assert.True(store.Bytes <= Bound + largest, $"after {s + 1} sessions the store keeps {store.Bytes:N0} bytes");
        }

        Assert.Equal(CacheSession.MaxFingerprints, store.Get("t", "session-199").Recent.Count);
        Assert.True(store.Count < 20, $"{store.Count} sessions of {largest:N0} bytes kept under a bound of {Bound:N0}");
    }

    [Fact]
    public void SystemTextTable_ManyDistinctTexts_StaysWithinTwoGenerations()
    {
        var table = new SystemTextTable();
        var text = new string('x', 10_000);
        for (var i = 0; i < 1_000; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text + i.ToString(CultureInfo.InvariantCulture));
            table.Intern(PrefixFingerprint.Hash(bytes), bytes);
        }

        Assert.InRange(table.Chars, 1, (2 * SystemTextTable.GenerationChars) + 20_000);
    }

    [Fact]
    public void ReplayEntrySpans_ArePacked_AndReadBackExactly_ByIndexAndInOrder()
    {
        var random = new Random(7);
        var spans = new List<ByteSpan>();
        var at = 0;
        var src = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var kind = (SpanKind)random.Next(3);
            var length = random.Next(0, 400);
            var gap = random.Next(0, 2) * random.Next(0, 50);
            var srcLength = random.Next(0, 2_000);
            spans.Add(kind == SpanKind.Kept || random.Next(4) > 0
                ? new ByteSpan(kind, at + gap, at + gap + length, src, src + srcLength)
                : new ByteSpan(kind, at + gap, at + gap + length, -1, -1));
            at += gap + length;
            src += srcLength + random.Next(0, 100);
        }

        spans.Add(new ByteSpan(SpanKind.Kept, int.MaxValue - 10, int.MaxValue, 0, int.MaxValue));
        var entry = new ReplayEntry([1], "log", Hash(1), 10, 5, true, spans.ToArray());

        Assert.Equal(spans, entry.Spans);
        Assert.Equal(spans.Count, entry.Spans.Count);
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            Assert.Equal(spans[i], entry.Spans[i]);
        }

        Assert.True(entry.SpanBytes < spans.Count * 12, $"{entry.SpanBytes} bytes for {spans.Count} spans: not packed");
        Assert.Throws<ArgumentOutOfRangeException>(() => entry.Spans[spans.Count]);
        Assert.Empty(ReplayEntry.AsSent.Spans);
    }
}
