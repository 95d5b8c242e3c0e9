using System.Text.Json.Nodes;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Xunit;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;
using JsonQuery = Headroom.Compressors.Json.JsonQuery;

namespace Headroom.Compressors.Tests.Json;

/// <summary>Items matching the query (the whole query, all of its words, or one of its identifiers,
/// case-insensitive) are kept however long the array; the one-scan prefilter changes none of that.</summary>
public sealed class JsonQueryTests
{
    private const string Hash = "abcdefabcdefabcdefabcdef";

    [Theory]
    [InlineData("charge FAILED invoice", "{\"note\":\"Charge failed for Invoice\"}", true)] // whole query, other case
    [InlineData("invoice charge", "{\"a\":\"CHARGE\",\"b\":\"the invoice\"}", true)] // every word, in two fields
    [InlineData("invoice charge", "{\"a\":\"the invoice\"}", false)] // one word of two
    [InlineData("where is INV_4287", "{\"id\":\"inv_4287\"}", true)] // an identifier
    [InlineData("where is inv_4287", "{\"id\":\"inv_4121\"}", false)]
    [InlineData("   ", "{\"id\":\"x\"}", false)]
    public void Matches_WholeQueryEveryWordOrAnIdentifier(string query, string item, bool expected)
    {
        Assert.Equal(expected, new JsonQuery(query).Matches(item));
    }

    [Fact]
    public void Compress_LongArray_KeepsItemsMatchingTheQueryByWordsOrIdentifier()
    {
        var items = Enumerable.Range(0, 300).Select(i => new JsonObject
        {
            ["id"] = $"inv_{1000 + i}",
            ["customer"] = i == 140 ? "Beta Industries" : $"customer {i}",
            ["plan"] = i is 140 or 200 ? "alpha" : "basic",
            ["amount"] = 100 + (i % 5),
        });
        var input = new JsonArray([.. items]).ToJsonString();
        var byWords = Compressor().Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "ALPHA beta" }).Output;
        var byIdentifier = Compressor().Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "what about INV_1233?" }).Output;

        Assert.Contains("\"Beta Industries\"", byWords, StringComparison.Ordinal); // item 140: both words
        Assert.DoesNotContain("\"inv_1200\"", byWords, StringComparison.Ordinal); // item 200: one word only
        Assert.Contains("\"inv_1233\"", byIdentifier, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Beta Industries\"", byIdentifier, StringComparison.Ordinal);

        // With the default ranker (BM25) the one-word item comes in as well, counted as ranked, not as matching.
        var ranked = new JsonCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "ALPHA beta" }).Output;
        Assert.Contains("\"inv_1200\"", ranked, StringComparison.Ordinal);
        Assert.Contains("query-ranked", ranked, StringComparison.Ordinal);
    }

    /// <summary>The matcher's rule alone: a ranker that finds nothing relevant adds no item.</summary>
    private static JsonCompressor Compressor() => new(new NothingRelevant());

    private sealed class NothingRelevant : IRelevanceRanker
    {
        public string Name => "none";

        public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request) => new(new double[candidates.Count], Name, null);
    }
}
