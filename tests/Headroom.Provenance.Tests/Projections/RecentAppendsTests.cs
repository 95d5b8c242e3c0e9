using System.Text.Json;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.EventStore.Sqlite;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

/// <summary>The summary projection folds this process's own appends from memory and everything else from the store.</summary>
public sealed class RecentAppendsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task OwnAppendsFromMemory_OtherWritersFromTheStore_SummaryCountsEveryRequestOnce()
    {
        var path = _directory.File("s.db");
        await using var database = await SqliteDatabase.OpenAsync(path, NullLogger.Instance, CancellationToken.None);
        var recent = new RecentAppends(64);
        var store = new SqliteEventStore(database, [], TimeProvider.System, recent);
        await using var runner = new AsyncProjectionRunner(store, store, [TelemetrySummaryProjection.Instance], TimeProvider.System, TimeSpan.FromSeconds(3), NullLogger.Instance, pageSize: 10, recent: recent);
        // Another process on the same file (the CLI, an SDK app): its events are not in this process's memory.
        await using var otherDatabase = await SqliteDatabase.OpenAsync(path, NullLogger.Instance, CancellationToken.None);
        var other = new SqliteEventStore(otherDatabase, [], TimeProvider.System);

        var expectedInput = 0L;
        for (var batch = 0; batch < 6; batch++)
        {
            var writer = batch == 3 ? other : store;
            var appends = new List<StreamAppend>();
            for (var i = 0; i < 10; i++)
            {
                var request = OneEventPerRequestContractTests.NewRequest($"req-{batch}-{i}") with { Usage = new TokenUsage { InputTokens = 1 + (batch * 10) + i, OutputTokens = 1 } };
                expectedInput += request.Usage.InputTokens;
                appends.Add(new StreamAppend(request.RequestId, ExpectedVersion.NoStream, [EventSerializer.ToNewEvent(request)]));
            }

            await writer.AppendBatchAsync(appends);
            if (batch == 1)
            {
                await runner.RunOnceAsync(CancellationToken.None); // part-way: progress sits inside the ring
            }
        }

        await runner.RunOnceAsync(CancellationToken.None);

        var json = await store.LoadDocumentAsync(TelemetrySummaryProjection.Type, TelemetrySummaryProjection.DocumentId, CancellationToken.None);
        var summary = JsonSerializer.Deserialize(json!, ProvenanceStateJsonContext.Default.TelemetryState)!.ToSummary();
        Assert.Equal(60, summary.Totals.Requests);
        Assert.Equal(expectedInput, summary.Totals.InputTokens);
        Assert.Equal(60, summary.Position);
        Assert.Contains(summary.Recent, r => r.RequestId == "req-5-9");
        Assert.Contains(summary.Recent, r => r.RequestId == "req-3-0"); // the other writer's
        // Pages of this process's own batches came from memory; the other writer's page (31-40) from the store.
        Assert.True(recent.PagesServed >= 4, $"{recent.PagesServed} pages from memory");
    }

    [Fact]
    public void TryRead_AnEventPushedOutOrNeverHere_SendsThePageToTheStore()
    {
        var recent = new RecentAppends(8);
        recent.Add([.. Enumerable.Range(1, 12).Select(Recorded)]);

        Assert.Null(recent.TryRead(0, 12, 10)); // 1-4 were pushed out by 9-12
        Assert.Equal([5L, 6, 7, 8, 9, 10, 11, 12], recent.TryRead(4, 12, 10)!.Select(e => e.Sequence));
        Assert.Null(recent.TryRead(10, 14, 10)); // 13 and 14 were never appended here
        recent.Add([Recorded(13) with { Payload = null }]);
        Assert.Null(recent.TryRead(12, 13, 10)); // an event with no summary (a retrieval, say)
    }

    private static RecordedEvent Recorded(int sequence)
    {
        var request = OneEventPerRequestContractTests.NewRequest($"r{sequence}");
        return new RecordedEvent(sequence, request.EventId, request.RequestId, 1, EventSerializer.RequestCompletedType, ReadOnlyMemory<byte>.Empty, request.Timestamp) { Payload = request };
    }

    public void Dispose() => _directory.Dispose();
}
