using System.Text.Json.Nodes;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;
using JsonDerivedColumns = Headroom.Compressors.Json.JsonDerivedColumns;

namespace Headroom.Compressors.Tests.Json;

/// <summary>Table columns read off another column are written once as an equation, and the table still
/// expands back to the input exactly.</summary>
public sealed class JsonDerivedColumnsTests
{
    private const string Hash = "abcdefabcdefabcdefabcdef";
    private static readonly JsonCompressor Compressor = new();

    // Release lists: the download URL is the checksum URL without ".sha256", the version sits in the URL
    // between a fixed prefix and suffix.
    private static JsonArray Releases(int count, Func<int, string>? version = null) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var v = version?.Invoke(i) ?? $"5.{count - i}-20181122{i % 24:00}5845Z";
            return (JsonNode)new JsonObject
            {
                ["version"] = v,
                ["buildTime"] = $"2018{(i % 12) + 1:00}{(i % 28) + 1:00}1958{i % 60:00}Z",
                ["broken"] = i == 3,
                ["downloadUrl"] = $"https://services.example.org/distributions/app-{v}-bin.zip",
                ["checksumUrl"] = $"https://services.example.org/distributions/app-{v}-bin.zip.sha256",
            };
        })];

    [Fact]
    public void Compress_ColumnsInsideAnotherColumn_AreWrittenOnceAsEquationsAndExpandBack()
    {
        var items = Releases(8);
        var input = items.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.False(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var table = JsonNode.Parse(output.Output)!.AsObject();
        Assert.Equal("""["buildTime","broken","checksumUrl"]""", table[JsonCompressor.TableKey]!.ToJsonString());
        Assert.Equal(
            ["version = checksumUrl minus leading 'https://services.example.org/distributions/app-' and trailing '-bin.zip.sha256'", "downloadUrl = checksumUrl minus trailing '.sha256'"],
            table[JsonDerivedColumns.Key]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(items, JsonCompressorTests.Expand(table)), output.Output);
        Assert.Equal(output.Output, Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output);
    }

    [Fact]
    public void Compress_ColumnThatDiffersFromTheRuleInOneRow_IsWrittenAsIs()
    {
        var items = Releases(8);
        items[5]!["downloadUrl"] = "https://mirror.example.net/app-5.3-bin.zip"; // not the checksum URL's stem
        var input = items.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        var table = JsonNode.Parse(output.Output)!.AsObject();
        Assert.Contains("downloadUrl", table[JsonCompressor.TableKey]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("downloadUrl = ", output.Output, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(items, JsonCompressorTests.Expand(table)), output.Output);
    }

    [Fact]
    public void Compress_OlderShapeRunInALongArray_KeepsEveryItemAndDerivesItsColumns()
    {
        // 60 current releases with a wrapper checksum, then 50 older ones without: the older ones are a shape
        // anomaly, all kept, as a table of their own whose URL columns are written once.
        var current = Releases(60, i => $"7.{60 - i}");
        foreach (var item in current)
        {
            item!["wrapperChecksumUrl"] = item["checksumUrl"]!.GetValue<string>().Replace("-bin.zip", "-wrapper.jar", StringComparison.Ordinal);
        }

        var older = Releases(50, i => $"4.{50 - i}");
        var input = new JsonArray([.. current.Select(c => c!.DeepClone()), .. older.Select(o => o!.DeepClone())]).ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var rows = JsonNode.Parse(output.Output)!["rows"]!.AsArray();
        var run = Assert.Single(rows.OfType<JsonObject>());
        Assert.Contains("downloadUrl = checksumUrl minus trailing '.sha256'", run[JsonDerivedColumns.Key]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(older, JsonCompressorTests.Expand(run)), output.Output);
        foreach (var item in older)
        {
            Assert.Contains(item!["downloadUrl"]!.GetValue<string>(), output.Output, StringComparison.Ordinal);
            Assert.Contains(item["version"]!.GetValue<string>(), output.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compress_EscapedStrings_AreNeverDerived()
    {
        var items = Releases(8);
        foreach (var item in items)
        {
            item!["downloadUrl"] = item["downloadUrl"]!.GetValue<string>() + "\"q\"";
            item["checksumUrl"] = item["downloadUrl"]!.GetValue<string>() + ".sha256";
        }

        var input = items.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        var table = JsonNode.Parse(output.Output)!.AsObject();
        Assert.DoesNotContain("downloadUrl = ", output.Output, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(items, JsonCompressorTests.Expand(table)), output.Output);
    }

    [Fact]
    public void Compress_ColumnBeforeTheLastSeparatorOfAnother_IsDerivedWhateverFollows()
    {
        // Package lists: the version is the distribution's version before its last '-' (the packaging revision varies).
        var items = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject
        {
            ["repo"] = $"distro_{i}",
            ["version"] = $"1.{10 + i}.{i % 3}",
            ["origversion"] = $"1.{10 + i}.{i % 3}-r{i % 4}",
        })]);
        var input = items.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        var table = JsonNode.Parse(output.Output)!.AsObject();
        Assert.Equal(["version = origversion before its last '-'"], table[JsonDerivedColumns.Key]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(items, JsonCompressorTests.Expand(table)), output.Output);
    }
}
