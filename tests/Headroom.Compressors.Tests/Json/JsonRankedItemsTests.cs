using System.Text.Json.Nodes;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Spans;
using Xunit;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;

namespace Headroom.Compressors.Tests.Json;

/// <summary>With a query, the ordinary items selection would cut are ranked (BM25 unless a model is given) and the best kept;
/// anomalies, errors and queried items stay whatever the ranker says.</summary>
public sealed class JsonRankedItemsTests
{
    private const string Hash = "abcdefabcdefabcdefabcdef";

    private static readonly string[] Topics = ["database migration tooling", "image thumbnail cache", "websocket reconnect logic", "locale date formatting", "payment webhook retries"];

    private static string Input()
    {
        var items = Enumerable.Range(0, 120).Select(i => new JsonObject
        {
            ["id"] = 1000 + i,
            ["title"] = i == 61 ? "Flaky websocket reconnect after laptop sleep" : $"Improve {Topics[i % Topics.Length]} part {i}",
            ["state"] = i == 90 ? "failed" : "open",
            ["labels"] = new JsonArray("triage"),
        });
        return new JsonArray([.. items]).ToJsonString();
    }

    [Fact]
    public void Compress_Query_KeepsTheOrdinaryItemBm25RanksFirst_AndSaysSo()
    {
        var input = Input();
        var request = new CompressionRequest { OriginalHash = Hash, Query = "why does the socket drop after the computer sleeps?" };
        var output = new JsonCompressor().Compress(input, request);

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        Assert.Contains("Flaky websocket reconnect after laptop sleep", output.Output, StringComparison.Ordinal);
        Assert.Contains("query-ranked", output.Output, StringComparison.Ordinal);
        Assert.Equal("bm25", output.Scorer);
        Assert.Equal(output.Output, new JsonCompressor().Compress(input, request).Output);
    }

    [Fact]
    public void Compress_WithoutRanking_CutsThatItem()
    {
        var output = new JsonCompressor(new ConstantRanker(0)).Compress(Input(), new CompressionRequest { OriginalHash = Hash, Query = "why does the socket drop after the computer sleeps?" });

        Assert.DoesNotContain("Flaky websocket reconnect", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_RankerFavoursOthers_ErrorItemStillKept_AndTheFallbackIsRecorded()
    {
        var output = new JsonCompressor(new ConstantRanker(1, "model stopped at budget 35 ms")).Compress(Input(), new CompressionRequest { OriginalHash = Hash, Query = "payment" });

        Assert.Contains("\"failed\"", output.Output, StringComparison.Ordinal);
        Assert.Contains("1090", output.Output, StringComparison.Ordinal);
        Assert.Equal("constant", output.Scorer);
        Assert.Equal("model stopped at budget 35 ms", output.ScorerFallback);
    }

    [Fact]
    public void Rank_Bm25_OrdersByTheQuerysWords_TiesToTheEarlier_NothingWithoutThem()
    {
        var ranking = Bm25RelevanceRanker.Instance.Rank("retry the webhook", ["payment webhook retries", "image cache", "webhook", "webhook"], CompressionRequest.Empty);

        Assert.Equal([0, 2, 3], ranking.Top(5));
        Assert.Equal(1.0, ranking.Scores[0]);
        Assert.Equal(0.0, ranking.Scores[1]);
        Assert.Equal([0], ranking.Top(1));
    }

    private sealed class ConstantRanker(double score, string? fallback = null) : IRelevanceRanker
    {
        public string Name => "constant";

        public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request) =>
            new([.. candidates.Select(_ => score)], Name, fallback);
    }
}
