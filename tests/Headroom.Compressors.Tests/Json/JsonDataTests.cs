using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Pipeline;
using Headroom.Compressors.Tokens;
using Xunit;
using Xunit.Abstractions;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;

namespace Headroom.Compressors.Tests.Json;

/// <summary>Every file of ../shared/data/json: never more tokens out than in, and every item
/// <see cref="JsonAnomalyOracle"/> marks (odd shape, error) kept with all its values.</summary>
public sealed class JsonDataTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => Fixtures.SharedDataFiles("json", "*.json");

    [Theory]
    [MemberData(nameof(Files))]
    public void Compress_DataFile_NeverGrowsAndKeepsEveryAnomaly(string name)
    {
        var input = File.ReadAllText(Path.Combine(Fixtures.SharedDataDirectory(), "json", name));
        var result = new JsonCompressor().Compress(input, new CompressionRequest { OriginalHash = ContentHash.Compute(input) }).Output;
        var before = O200kTokenizer.Instance.CountTokens(input);
        var after = O200kTokenizer.Instance.CountTokens(result);
        var mustKeep = JsonAnomalyOracle.MustKeep(input, query: null);
        var lost = mustKeep.Where(m => JsonAnomalyOracle.Missing(result, m.Values) is not []).Select(m => $"{m.Reason} {m.Path}").ToList();

        output.WriteLine($"{name}: tokens {before} → {after} ({1 - ((double)after / before):P1} saved), anomalies kept {mustKeep.Count - lost.Count}/{mustKeep.Count}");
        Assert.True(after <= before, $"{name}: {before} → {after} tokens");
        Assert.True(lost.Count == 0, $"{name}: lost {string.Join(", ", lost)}");
    }
}
