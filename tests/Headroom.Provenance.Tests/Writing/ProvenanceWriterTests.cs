using Headroom.Provenance.Events;
using Headroom.Provenance.Tests.Infrastructure;
using Headroom.Provenance.Writing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Headroom.Provenance.Tests.Writing;

public sealed class ProvenanceWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Spool => Path.Combine(_directory.Path, "spool");

    [Fact]
    public async Task StoreDown_EventsSpool_ThenReplayOnceWhenItIsBack()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var store = new FlakyEventStore(backend.Events) { Down = true };
        await using var writer = NewWriter(store, capacity: 1000, batch: 10);

        RecordMany(writer, 50);
        await writer.FlushAsync();
        Assert.Equal(50, writer.Stats.Spooled);
        Assert.Equal(0, await backend.Events.CountEventsAsync());
        Assert.False(writer.Stats.StoreAvailable);

        store.Down = false;
        Assert.True(await Eventually.HoldsAsync(async () => await backend.Events.CountEventsAsync() == 50, TimeSpan.FromSeconds(15)));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!writer.Stats.SpoolPending), TimeSpan.FromSeconds(5)));
        Assert.Empty(Directory.GetFiles(Spool));
        Assert.Equal(50, writer.Stats.Replayed);
    }

    [Fact]
    public async Task ChannelFull_RecordSpoolsSynchronously_NeverBlocksAndLosesNothing()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var store = new FlakyEventStore(backend.Events) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var writer = NewWriter(store, capacity: 4, batch: 2);

        // The store stays stalled until the gate opens below: a Record that waited on it would never
        // return, so finishing at all (the bound only keeps a broken build from hanging) is the proof.
        await Task.Run(() => RecordMany(writer, 200)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(store.Gate.Task.IsCompleted);
        Assert.True(writer.Stats.Spooled >= 190, $"only {writer.Stats.Spooled} spooled");
        store.Gate.SetResult();
        Assert.True(await Eventually.HoldsAsync(async () => await backend.Events.CountEventsAsync() == 200, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task SpoolLeftByACrashedRun_IsReplayed_SkippingCorruptAndTornRecords()
    {
        using (var spool = new EventSpool(Spool, NullLogger.Instance))
        {
            spool.Append([Received("a", 0), Received("a", 1)]);
            spool.Append([Received("b", 0)]);
        }

        var file = Directory.GetFiles(Spool).Single();
        var lines = File.ReadAllLines(file);
        lines[1] = lines[1].Replace("\"a\"", "\"A\"", StringComparison.Ordinal);
        File.WriteAllText(file, string.Join('\n', lines) + "\n" + lines[0][..20]);

        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        await using (var writer = NewWriter(backend.Events, capacity: 100, batch: 10))
        {
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!writer.Stats.SpoolPending), TimeSpan.FromSeconds(10)));
        }

        var stored = await backend.Events.ReadAllAsync(0, 100);
        Assert.Equal(["a", "b"], stored.Select(e => e.StreamId));
        Assert.Empty(Directory.GetFiles(Spool));
    }

    [Fact]
    public async Task ReplayingTheSameSpoolTwice_StoresEachEventOnce()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var events = Enumerable.Range(0, 20).Select(i => Received("r" + (i % 4), i)).ToList();
        foreach (var round in new[] { 1, 2 })
        {
            using (var spool = new EventSpool(Spool, NullLogger.Instance))
            {
                spool.Append(events);
            }

            await using var writer = NewWriter(backend.Events, capacity: 100, batch: 7);
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!writer.Stats.SpoolPending), TimeSpan.FromSeconds(10)), $"round {round}");
        }

        Assert.Equal(20, await backend.Events.CountEventsAsync());
    }

    [Fact]
    public async Task WriterLoopDies_ItRestartsSaysSoAndLosesNoEvent()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var store = new FlakyEventStore(backend.Events) { Down = true };

        // The store is down, so the writer spools and logs a warning: the broken logger throws out of the loop.
        var logger = new FailingLogger { Failures = 1 };
        await using var writer = new ProvenanceWriter(store, Spool, 1000, 10, TimeSpan.FromMilliseconds(100), TimeProvider.System, logger);
        RecordMany(writer, 20);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(writer.Stats.Restarts > 0), TimeSpan.FromSeconds(10)), $"no restart: {writer.Stats}");

        store.Down = false;
        RecordMany(writer, 20, from: 20);
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(await Eventually.HoldsAsync(async () => await backend.Events.CountEventsAsync() == 40, TimeSpan.FromSeconds(15)), $"stored {await backend.Events.CountEventsAsync()} of 40; {writer.Stats}");
    }

    [Fact]
    public async Task EventsArrivingWhileABatchGathers_GoInOneTransaction()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var store = new FlakyEventStore(backend.Events);
        await using var writer = new ProvenanceWriter(store, Spool, 1000, 100, TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance, gatherTime: TimeSpan.FromMilliseconds(300));

        RecordMany(writer, 1);
        await Task.Delay(30);
        RecordMany(writer, 9, from: 1);
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(10, await backend.Events.CountEventsAsync());
        Assert.Equal(1, store.Batches);
    }

    [Fact]
    public async Task SpoolAtItsDiskCap_CountsEventsAtRiskAndReportsDegraded_ThenRecovers()
    {
        await using var backend = await SqliteBackend.OpenAsync(_directory.File("s.db"), [], null);
        var store = new FlakyEventStore(backend.Events) { Down = true };
        await using var writer = new ProvenanceWriter(store, Spool, 1000, 10, TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance, spoolMaxBytes: 2_000);

        RecordMany(writer, 100);
        await writer.FlushAsync();

        var stats = writer.Stats;
        Assert.True(stats.AtRisk > 0, $"nothing at risk: {stats}");
        Assert.True(stats.Degraded);
        Assert.True(stats.SpoolBytes <= 2_000, $"spool holds {stats.SpoolBytes} bytes");
        Assert.Equal(100, stats.Spooled + stats.AtRisk);

        store.Down = false;
        Assert.True(await Eventually.HoldsAsync(async () => await backend.Events.CountEventsAsync() == stats.Spooled, TimeSpan.FromSeconds(15)));
        RecordMany(writer, 5, from: 100);
        await writer.FlushAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!writer.Stats.Degraded), TimeSpan.FromSeconds(5)));
    }

    private ProvenanceWriter NewWriter(Headroom.Provenance.EventStore.IEventStore store, int capacity, int batch) =>
        new(store, Spool, capacity, batch, TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance);

    private static void RecordMany(ProvenanceWriter writer, int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
        {
            writer.Record(Received("req-" + (i / 5), i));
        }
    }

    private static RequestReceived Received(string requestId, int n) =>
        new() { RequestId = requestId, Provider = "anthropic", Model = "m" + n };

    public void Dispose() => _directory.Dispose();
}
