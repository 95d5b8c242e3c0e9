using System.Text.Json.Nodes;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.EventStore;

/// <summary>The behaviour both backends must share. Each derived class opens one backend per test.</summary>
public abstract class EventStoreContractTests
{
    internal abstract Task<Backend> OpenAsync(IReadOnlyList<IProjection> inline, TimeProvider? time = null, IReadOnlyList<IProjection>? asynchronous = null);

    [Fact]
    public async Task Append_NewStream_NumbersVersionsFromOneAndSequencesGlobally()
    {
        await using var backend = await OpenAsync([]);
        var a = await backend.Events.AppendAsync("a", ExpectedVersion.NoStream, TestEvents.Many(3));
        var b = await backend.Events.AppendAsync("b", ExpectedVersion.Any, TestEvents.Many(2));

        Assert.Equal(3, a.Version);
        Assert.Equal(3, a.Appended);
        Assert.Equal(2, b.Version);
        Assert.Equal(5, b.LastSequence - a.LastSequence + 3);
        var all = await backend.Events.ReadAllAsync(0, 100);
        Assert.Equal(5, all.Count);
        Assert.Equal(all.Select(e => e.Sequence).Order(), all.Select(e => e.Sequence));
        Assert.Equal([1, 2, 3], all.Where(e => e.StreamId == "a").Select(e => e.Version));
        Assert.Equal(3, await backend.Events.GetStreamVersionAsync("a"));
        Assert.Equal(0, await backend.Events.GetStreamVersionAsync("nope"));
    }

    [Fact]
    public async Task ReadStream_ReturnsPayloadTypeAndIdsInVersionOrder()
    {
        await using var backend = await OpenAsync([]);
        var events = TestEvents.Many(4);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, events[..2]);
        await backend.Events.AppendAsync("s", ExpectedVersion.Exact(2), events[2..]);

        var read = await backend.Events.ReadStreamAsync("s");

        Assert.Equal(events.Select(e => e.Id), read.Select(e => e.Id));
        Assert.Equal([1, 2, 3, 4], read.Select(e => e.Version));
        Assert.All(read, e => Assert.Equal("thing_happened", e.Type));
        for (var i = 0; i < 4; i++)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(events[i].Data.Span), JsonNode.Parse(read[i].Data.Span)));
        }

        Assert.Empty(await backend.Events.ReadStreamAsync("unknown"));
    }

    [Fact]
    public async Task Append_ExpectedNoStream_OnExistingStream_Throws()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(1));

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => backend.Events.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(1)));

        Assert.Equal("s", conflict.StreamId);
        Assert.Equal(1, conflict.Actual);
        Assert.Equal(1, await backend.Events.CountEventsAsync());
    }

    [Fact]
    public async Task Append_ExactVersionMismatch_ThrowsAndStoresNothing()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(2));

        await Assert.ThrowsAsync<ConcurrencyException>(() => backend.Events.AppendAsync("s", ExpectedVersion.Exact(1), TestEvents.Many(1)));
        await Assert.ThrowsAsync<ConcurrencyException>(() => backend.Events.AppendAsync("missing", ExpectedVersion.Exact(1), TestEvents.Many(1)));
        var ok = await backend.Events.AppendAsync("s", ExpectedVersion.Exact(2), TestEvents.Many(1));

        Assert.Equal(3, ok.Version);
        Assert.Equal(3, await backend.Events.CountEventsAsync());
    }

    [Fact]
    public async Task VersionConflict_DoesNotBurnSequenceNumber()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(1));
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ConcurrencyException>(() => backend.Events.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(3)));
        }

        await backend.Events.AppendAsync("t", ExpectedVersion.Any, TestEvents.Many(1));

        var sequences = (await backend.Events.ReadAllAsync(0, 10)).Select(e => e.Sequence).ToList();
        Assert.Equal(sequences[0] + 1, sequences[1]);
    }

    [Fact]
    public async Task Append_SameEventIdTwice_StoresOnce()
    {
        await using var backend = await OpenAsync([]);
        var events = TestEvents.Many(3);
        var first = await backend.Events.AppendAsync("s", ExpectedVersion.NoStream, events);

        // A retried append (e.g. a replayed spool) succeeds even with its stale expectation, storing nothing new.
        var again = await backend.Events.AppendAsync("s", ExpectedVersion.NoStream, events);
        var partly = await backend.Events.AppendAsync("s", ExpectedVersion.Exact(3), [events[1], TestEvents.New()]);

        Assert.Equal(0, again.Appended);
        Assert.Equal(3, again.Version);
        Assert.Equal(1, partly.Appended);
        Assert.Equal(4, partly.Version);
        Assert.Equal(4, await backend.Events.CountEventsAsync());
        Assert.Equal(first.LastSequence + 1, partly.LastSequence);
    }

    [Fact]
    public async Task ReadAll_FromPosition_PagesInSequenceOrder()
    {
        await using var backend = await OpenAsync([]);
        for (var i = 0; i < 10; i++)
        {
            await backend.Events.AppendAsync("s" + (i % 3), ExpectedVersion.Any, TestEvents.Many(2));
        }

        var seen = new List<RecordedEvent>();
        var position = 0L;
        while (true)
        {
            var page = await backend.Events.ReadAllAsync(position, 7);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page);
            position = page[^1].Sequence;
        }

        Assert.Equal(20, seen.Count);
        Assert.Equal(seen.Select(e => e.Sequence).Order(), seen.Select(e => e.Sequence));
        Assert.Equal(20, seen.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task AppendBatch_WithOneConflict_StoresNothingAndLeavesInlineDocumentsUntouched()
    {
        var counting = new CountingProjection();
        await using var backend = await OpenAsync([counting]);
        await backend.Events.AppendAsync("taken", ExpectedVersion.Any, TestEvents.Many(1));

        await Assert.ThrowsAsync<ConcurrencyException>(() => backend.Events.AppendBatchAsync(
        [
            new StreamAppend("fresh", ExpectedVersion.Any, TestEvents.Many(2)),
            new StreamAppend("taken", ExpectedVersion.NoStream, TestEvents.Many(1)),
        ]));

        Assert.Equal(1, await backend.Events.CountEventsAsync());
        Assert.Equal(0, await backend.Events.GetStreamVersionAsync("fresh"));
        Assert.Equal(1, await counting.CountAsync(backend.Projections));
        Assert.Equal(0, await counting.CountAsync(backend.Projections, "fresh"));
    }

    [Fact]
    public async Task AppendBatch_ManyStreamsAndRepeatedStreams_NumbersEachStreamInOrder()
    {
        var counting = new CountingProjection();
        await using var backend = await OpenAsync([counting]);
        var results = await backend.Events.AppendBatchAsync(
        [
            new StreamAppend("x", ExpectedVersion.Any, TestEvents.Many(2)),
            new StreamAppend("y", ExpectedVersion.NoStream, TestEvents.Many(1)),
            new StreamAppend("x", ExpectedVersion.Any, TestEvents.Many(3)),
        ]);

        Assert.Equal([2L, 1L, 5L], results.Select(r => r.Version));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await backend.Events.ReadStreamAsync("x")).Select(e => e.Version));
        Assert.Equal(5, await counting.CountAsync(backend.Projections, "x"));
        Assert.Equal(6, await counting.CountAsync(backend.Projections));
    }

    [Fact]
    public async Task AppendBatch_LargerThanOneInsertStatement_StoresEveryEventInStreamOrder()
    {
        await using var backend = await OpenAsync([]);
        var appends = Enumerable.Range(0, 50).Select(i => new StreamAppend("big" + (i % 7), ExpectedVersion.Any, TestEvents.Many(3))).ToList();

        await backend.Events.AppendBatchAsync(appends);

        // Within a stream, events keep the order they were appended in; across streams a batch may be stored stream by stream.
        var all = await backend.Events.ReadAllAsync(0, 1000);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => all[0].Sequence + i - 1), all.Select(e => e.Sequence));
        foreach (var stream in all.GroupBy(e => e.StreamId))
        {
            Assert.Equal(appends.Where(a => a.StreamId == stream.Key).SelectMany(a => a.Events).Select(e => e.Id), stream.Select(e => e.Id));
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
        }
    }

    [Fact]
    public async Task ConcurrentAppends_AtSameExpectedVersion_ExactlyOneWins()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("race", ExpectedVersion.Any, TestEvents.Many(1));

        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await backend.Events.AppendAsync("race", ExpectedVersion.Exact(1), TestEvents.Many(2));
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        })).ToList();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Equal(3, await backend.Events.GetStreamVersionAsync("race"));
        Assert.Equal(3, await backend.Events.CountEventsAsync());
    }

    [Fact]
    public async Task ConcurrentNewStreams_WithNoStream_ExactlyOneWins()
    {
        await using var backend = await OpenAsync([]);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await backend.Events.AppendAsync("new", ExpectedVersion.NoStream, TestEvents.Many(1));
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Equal(1, await backend.Events.CountEventsAsync());
    }

    [Fact]
    public async Task AsyncProjection_AppliesEveryEventOnce_AndResumesFromSavedProgress()
    {
        var counting = new CountingProjection("async");
        await using (var backend = await OpenAsync([], asynchronous: [counting]))
        {
            for (var i = 0; i < 30; i++)
            {
                await backend.Events.AppendAsync("s" + (i % 4), ExpectedVersion.Any, TestEvents.Many(5));
            }

            await backend.AsyncProjections.CatchUpAsync(CancellationToken.None);
            Assert.Equal(150, await counting.CountAsync(backend.Projections));

            await backend.Events.AppendAsync("later", ExpectedVersion.Any, TestEvents.Many(4));
            await backend.AsyncProjections.CatchUpAsync(CancellationToken.None);
            Assert.Equal(154, await counting.CountAsync(backend.Projections));
            Assert.Equal(4, await counting.CountAsync(backend.Projections, "later"));
        }

        // A new process starts from the saved progress: nothing is applied twice.
        await using var again = await OpenAsync([], asynchronous: [counting]);
        await again.Events.AppendAsync("after", ExpectedVersion.Any, TestEvents.Many(1));
        await again.AsyncProjections.CatchUpAsync(CancellationToken.None);
        Assert.Equal(155, await counting.CountAsync(again.Projections));
    }

    [Fact]
    public async Task Open_Twice_MigratesIdempotentlyAndKeepsData()
    {
        await using var backend = await OpenAsync([]);
        await backend.Events.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(2));
        await using var again = await ReopenAsync();

        Assert.Equal(2, await again.Events.CountEventsAsync());
    }

    /// <summary>Opens the same database the last <see cref="OpenAsync"/> opened.</summary>
    internal abstract Task<Backend> ReopenAsync();
}
