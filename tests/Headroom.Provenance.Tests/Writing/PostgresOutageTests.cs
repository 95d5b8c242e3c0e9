using System.Diagnostics;
using Headroom.Provenance.Events;
using Headroom.Provenance.Tests.Infrastructure;
using Xunit;

namespace Headroom.Provenance.Tests.Writing;

/// <summary>Invariant 6: stop PostgreSQL under load, start it again, count the events.</summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class PostgresOutageTests : IDisposable
{
    private readonly TempDirectory _spool = new();

    [Fact]
    public async Task PostgresStoppedUnderLoad_NoRecordWaits_AndEveryEventIsStoredOnceAfterRestart()
    {
        using var cluster = ThrowawayCluster.Create();
        var options = new ProvenanceOptions { SpoolDirectory = _spool.Path, WriterRetryInterval = TimeSpan.FromMilliseconds(200), WriterCapacity = 2000, RunAsyncProjections = false };
        await using var store = await ProvenanceStore.OpenAsync("postgres:" + cluster.ConnectionString, options);

        const int Rounds = 300, PerRound = 50;
        var slowest = TimeSpan.Zero;
        var producer = Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < PerRound; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    store.Writer.Record(new RequestReceived { RequestId = $"req-{round}-{i / 5}", Provider = "anthropic", Model = "m" });
                    var took = Stopwatch.GetElapsedTime(started);
                    slowest = took > slowest ? took : slowest;
                }

                await Task.Delay(10);
            }
        });

        await Task.Delay(800);
        cluster.Stop();
        await Task.Delay(1500);
        cluster.Start();
        await producer;
        await store.Writer.FlushAsync();

        var stored = await Eventually.HoldsAsync(async () => await CountAsync(store) == Rounds * PerRound, TimeSpan.FromSeconds(60));

        Assert.True(stored, $"stored {await CountAsync(store)} of {Rounds * PerRound}; writer {store.Writer.Stats}");
        Assert.True(store.Writer.Stats.Spooled > 0, "the outage never reached the writer; the test proved nothing");
        Assert.True(slowest < TimeSpan.FromMilliseconds(500), $"a Record call took {slowest.TotalMilliseconds} ms");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!store.Writer.Stats.SpoolPending), TimeSpan.FromSeconds(10)));
    }

    private static async Task<long> CountAsync(ProvenanceStore store)
    {
        try
        {
            return await store.Events.CountEventsAsync();
        }
        catch (Npgsql.NpgsqlException)
        {
            return -1;
        }
    }

    public void Dispose() => _spool.Dispose();
}
