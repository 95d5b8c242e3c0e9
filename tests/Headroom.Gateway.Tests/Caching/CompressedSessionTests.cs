using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>
/// A session whose tool output the live zone compresses: the replayed bytes keep the prefix a hit (never
/// gateway_caused), and compression and caching savings are priced apart.
/// </summary>
public sealed class CompressedSessionTests
{
    private const string Path = "/v1/messages";
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(600));

    private static string Turn(bool followUp) => Requests.SreLogTurn(Log, followUp);

    [Fact]
    public async Task CompressedThenReplayed_IsAHit_AndSavingsArePricedApart()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 500, output: 50, write5m: 2000)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 20, read: 2000, write5m: 40)));

        var (_, a, _) = await host.PostAsync(Path, Turn(followUp: false), "sre");
        host.Clock.Advance(TimeSpan.FromSeconds(50));
        var (_, b, _) = await host.PostAsync(Path, Turn(followUp: true), "sre");
        var first = await host.RecordAsync(a);
        var second = await host.RecordAsync(b);

        var fresh = Assert.Single(first.Live!.Outcomes, o => o.Compressed);
        var replayed = Assert.Single(second.Live!.Outcomes, o => o.Compressed);
        Assert.True(replayed.Replayed);
        var saved = fresh.TokensBefore - fresh.TokensAfter;
        Assert.True(saved > 1000, $"saved {saved}");

        // The compressed bytes are replayed, so the prefix repeats: a hit, not gateway_caused.
        Assert.Equal(CacheVerdict.Cold, CacheTestHost.Notes(first).Verdict);
        Assert.Equal(CacheVerdict.Hit, CacheTestHost.Notes(second).Verdict);

        // Fresh output priced at the 5-min write price (the request wrote cache), the replayed one at the read price.
        var c1 = CostModel.Compute(first, Gateway.Pricing.ModelPriceTable.Default);
        var c2 = CostModel.Compute(second, Gateway.Pricing.ModelPriceTable.Default);
        Assert.Equal(Math.Round(saved * 3.75m / 1_000_000m, 8), c1.CompressionSavedUsd);
        Assert.Equal(Math.Round(saved * 0.3m / 1_000_000m, 8), c2.CompressionSavedUsd);
        Assert.Equal(-0.0015m, c1.CachingSavedUsd); // 2000·3 − 2000·3.75
        Assert.Equal(0.00537m, c2.CachingSavedUsd); // 2040·3 − (2000·0.3 + 40·3.75)
        Assert.Equal(c2.BilledUsd + c2.CompressionSavedUsd + c2.CachingSavedUsd, c2.NoGatewayUsd);

        var feed = await host.FeedAsync(2);
        Assert.Equal(saved, feed[0].GetProperty("saved").GetInt64());
        Assert.Equal(c2.CompressionSavedUsd + c2.CachingSavedUsd, feed[1].GetProperty("savedUsd").GetDecimal());

        using var summary = JsonDocument.Parse(await host.Client.GetStringAsync("/telemetry/summary"));
        var bash = summary.RootElement.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("tool").GetString() == "Bash");
        Assert.Equal(2, bash.GetProperty("compressed").GetInt64());
        Assert.Equal(2L * saved, bash.GetProperty("tokensSaved").GetInt64());
        Assert.Equal(2L * saved, summary.RootElement.GetProperty("cost").GetProperty("tokensSaved").GetInt64());
    }
}
