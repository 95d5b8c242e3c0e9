using Headroom.Gateway.Hosting;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Tests.Retrieval;

public sealed class RetrievalLearningTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "headroom-learn-" + Guid.NewGuid().ToString("N"));
    private ProvenanceStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await ProvenanceStore.OpenAsync("sqlite:" + Path.Combine(_dir, "s.db"), new ProvenanceOptions { SpoolDirectory = Path.Combine(_dir, "spool"), RunAsyncProjections = false });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private RetrievalLearning Create() => new(_store, Options.Create(new GatewayOptions()), NullLogger<RetrievalLearning>.Instance);

    private static string Hash(int i) => i.ToString("x24", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void OftenRetrievedTool_GetsALargerKeepBudget_OthersDoNot()
    {
        var learning = Create();
        for (var i = 0; i < 10; i++)
        {
            learning.Compressed("Bash", "log", Hash(i));
            learning.Compressed("Grep", "search", Hash(100 + i));
        }

        learning.Retrieved(Hash(1));
        learning.Retrieved(Hash(2));
        Assert.Equal(1.0, learning.KeepFactorFor("Bash")); // 20% is not more than 20%
        learning.Retrieved(Hash(3));
        learning.Retrieved(Hash(999)); // a hash this gateway never sent counts for nothing

        Assert.True(learning.KeepFactorFor("Bash") > 1.0);
        Assert.Equal(1.0, learning.KeepFactorFor("Grep"));
        var bash = Assert.Single(learning.Snapshot(), r => r.Tool == "Bash");
        Assert.Equal((10L, 3L, 0.3), (bash.Compressed, bash.Retrieved, bash.Rate));
    }

    [Fact]
    public async Task Rebuild_ReadsOnlyTheNewestWindowOfTheHistory()
    {
        for (var i = 0; i < 30; i++)
        {
            _store.Writer.Record(new ContextComposed
            {
                RequestId = "r" + i,
                Blocks = [new Headroom.Provenance.Events.ContextBlock { Kind = "tool_output", Tool = "Bash", Compressor = "log", Hash = Hash(i) }],
            });
        }

        await _store.Writer.FlushAsync();

        var learning = new RetrievalLearning(_store, Options.Create(new GatewayOptions()), NullLogger<RetrievalLearning>.Instance) { RebuildWindow = 10 };
        await learning.StartAsync(CancellationToken.None);
        await (learning.ExecuteTask ?? Task.CompletedTask);

        Assert.Equal(10, Assert.Single(learning.Snapshot()).Compressed);
    }

    [Fact]
    public async Task Rates_AreRebuiltFromTheStoreAfterARestart()
    {
        for (var i = 0; i < 6; i++)
        {
            _store.Writer.Record(new ContextComposed
            {
                RequestId = "r" + i,
                Blocks = [new Headroom.Provenance.Events.ContextBlock { Kind = "tool_output", Tool = "Bash", Compressor = "log", Hash = Hash(i) }],
            });
        }

        _store.Writer.Record(new RetrievalServed { RequestId = "r9", Hash = Hash(0), Found = true, Via = "tool" });
        _store.Writer.Record(new RetrievalServed { RequestId = "r9", Hash = Hash(1), Found = true, Via = "tool" });
        await _store.Writer.FlushAsync();

        var learning = Create();
        await learning.StartAsync(CancellationToken.None);
        await (learning.ExecuteTask ?? Task.CompletedTask);

        Assert.True(learning.KeepFactorFor("Bash") > 1.0);
    }

    [Fact]
    public void FiftyThousandToolNames_StayBounded_AndTheSnapshotIsLinear()
    {
        var learning = Create();
        for (var i = 0; i < 50_000; i++)
        {
            learning.Compressed("mcp__tool_" + i, "log", Hash(i));
        }

        var rates = learning.Snapshot();

        // 256 named rows plus one shared row; before, 50,000 rows took 84.8 s to list (quadratic).
        Assert.Equal(RetrievalLearning.ToolCapacity + 1, rates.Count);
        Assert.Equal(50_000 - RetrievalLearning.ToolCapacity, rates.Single(r => r.Tool == RetrievalLearning.OtherTools).Compressed);
    }
}
