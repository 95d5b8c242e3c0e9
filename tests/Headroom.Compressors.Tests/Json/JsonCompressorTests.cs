using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JsonDerivedColumns = Headroom.Compressors.Json.JsonDerivedColumns;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Json;

public sealed partial class JsonCompressorTests
{
    private const string Hash = "abcdefabcdefabcdefabcdef";
    private static readonly JsonCompressor Compressor = new();

    [Fact]
    public void Compress_SmallUniformArray_IsALosslessTable()
    {
        const string input = """
            [
              {"id": 1, "name": "alpha", "owner": {"login": "ann", "id": 7}, "type": "User", "tags": ["a"]},
              {"id": 2, "name": "beta",  "owner": {"login": "bob", "id": 8}, "type": "User", "tags": []},
              {"id": 3, "name": "gamma", "owner": {"login": "cy",  "id": 9}, "type": "User", "tags": ["b", "c"]}
            ]
            """;
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.False(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var table = JsonNode.Parse(output.Output)!.AsObject();
        Assert.Equal("""["id","name","owner.login","owner.id","tags"]""", table[JsonCompressor.TableKey]!.ToJsonString());
        Assert.Equal("""{"type":"User"}""", table[JsonCompressor.ConstKey]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(input), Expand(table)));
    }

    [Fact]
    public void Compress_LongArray_KeepsErrorsQueryMatchesOutliersAndOneMarkerItem()
    {
        var items = Enumerable.Range(0, 200).Select(i => new JsonObject
        {
            ["id"] = i,
            ["name"] = $"job-{i}",
            ["status"] = i is 50 or 120 ? "failed" : "ok",
            ["ms"] = i == 77 ? 90_000 : 100 + (i % 7),
        });
        var input = new JsonObject { ["total"] = 200, ["jobs"] = new JsonArray([.. items]) }.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash, Query = "job-133" });

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var table = JsonNode.Parse(output.Output)!["jobs"]!.AsObject();
        var rows = table["rows"]!.AsArray();
        var ids = rows.Where(r => r is JsonArray).Select(r => r![0]!.GetValue<int>()).ToList();
        Assert.Contains(0, ids);
        Assert.Contains(199, ids);
        Assert.Contains(50, ids);
        Assert.Contains(120, ids);
        Assert.Contains(77, ids);
        Assert.Contains(133, ids);
        Assert.True(ids.Count < 20, $"kept {ids.Count}");

        var markers = rows.Where(r => r is JsonValue).Select(r => r!.GetValue<string>()).ToList();
        var marker = Assert.Single(markers);
        Assert.True(MarkerFormat.TryParse(marker, out var parsed));
        Assert.Equal(200, parsed!.Total);
        Assert.Equal(200 - ids.Count, parsed.Omitted);
        Assert.Equal(MarkerUnit.Items, parsed.Unit);
        Assert.Equal(Hash, parsed.Hash);
    }

    [Fact]
    public void Compress_ScalarArrayAndNestedArrays_StayValidJsonWithKeptValuesVerbatim()
    {
        // Long enough (> 2,000 tokens) that items carrying only a number may go.
        var inner = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"line {i}{(i == 31 ? " error: disk full" : "")}\""));
        var input = $"{{\"a\": {{\"b\": {{\"c\": [[{inner}]]}}}}, \"n\": 1.5e3, \"s\": \"é\\u00e9\\\"\"}}";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.True(output.Lossy);
        using var doc = JsonDocument.Parse(output.Output);
        Assert.Contains("\"line 31 error: disk full\"", output.Output, StringComparison.Ordinal);
        Assert.Contains("1.5e3", output.Output, StringComparison.Ordinal);
        Assert.Contains("\"é\\u00e9\\\"\"", output.Output, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_IsDeterministic()
    {
        var input = "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"{{\"k\":{i % 17},\"v\":\"x{i % 5}\"}}")) + "]";
        var a = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        var b = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    [Fact]
    public void Compress_ShortArrayWhereTheMarkerCostsMoreThanTheCut_ReturnsTheInputUnchanged()
    {
        const string input = """["alpha","beta","gamma","delta","epsilon","zeta","eta","theta","iota","kappa","lambda","mu","nu","xi"]""";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.Equal(input, output.Output);
        Assert.False(output.Lossy);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("[1,2,]")]
    [InlineData("{\"a\":1} x")]
    public void Compress_InvalidJson_Throws(string input)
    {
        Assert.Throws<FormatException>(() => Compressor.Compress(input, CompressionRequest.Empty));
    }

    // Rebuilds the original array from the table form (proves it lossless).
    [Fact]
    public void Compress_OlderItemsOfAnotherShapeInARow_BecomeATableOfTheirOwnInPlace()
    {
        var items = new JsonArray();
        for (var i = 0; i < 12; i++)
        {
            var item = new JsonObject { ["version"] = $"7.{12 - i}", ["broken"] = false, ["url"] = $"https://example.org/dist/app-7.{12 - i}.zip" };
            if (i < 7)
            {
                item["checksumUrl"] = $"https://example.org/dist/app-7.{12 - i}.zip.sha256"; // newer releases carry a checksum
            }

            items.Add(item);
        }

        var input = items.ToJsonString();
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.False(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var table = JsonNode.Parse(output.Output)!.AsObject();
        var older = table["rows"]!.AsArray()[7]!.AsObject();
        Assert.Equal("""["version","url"]""", older[JsonCompressor.TableKey]!.ToJsonString());
        Assert.Equal("""{"broken":false}""", older[JsonCompressor.ConstKey]!.ToJsonString());
        Assert.Equal(8, table["rows"]!.AsArray().Count);
        Assert.True(JsonNode.DeepEquals(items, ExpandNested(table)), output.Output);
    }

    [Fact]
    public void Compress_ArrayWithoutAMajorityShape_WritesRunsOfOneKeySequenceAsTablesInPlace()
    {
        const string input = """[{"repo":"aur","version":"1.18.0","www":["https://nginx.org/"]},{"repo":"aix","version":"1.5.2","status":"legacy"},{"repo":"aix","version":"1.13.2","status":"legacy"},{"repo":"aix","version":"1.13.3","status":"legacy"},{"repo":"alpine","version":"1.18.0","maintainers":["j@x"],"status":"outdated"},{"repo":"arch","version":"1.19.0","licenses":["custom"]}]""";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.False(output.Lossy);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
        var array = JsonNode.Parse(output.Output)!.AsArray();
        Assert.Equal(4, array.Count);
        var run = array[1]!.AsObject();
        Assert.Equal("""["version"]""", run[JsonCompressor.TableKey]!.ToJsonString());
        Assert.Equal("""{"repo":"aix","status":"legacy"}""", run[JsonCompressor.ConstKey]!.ToJsonString());
        var expanded = new JsonArray(array[0]!.DeepClone());
        foreach (var item in Expand(run))
        {
            expanded.Add(item!.DeepClone());
        }

        expanded.Add(array[2]!.DeepClone());
        expanded.Add(array[3]!.DeepClone());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(input), expanded), output.Output);
    }

    internal static JsonArray ExpandNested(JsonObject table)
    {
        var result = new JsonArray();
        var modal = new JsonObject { [JsonCompressor.TableKey] = table[JsonCompressor.TableKey]!.DeepClone(), ["rows"] = new JsonArray() };
        if (table[JsonCompressor.ConstKey] is { } constants)
        {
            modal[JsonCompressor.ConstKey] = constants.DeepClone();
        }

        if (table[JsonDerivedColumns.Key] is { } derived)
        {
            modal[JsonDerivedColumns.Key] = derived.DeepClone();
        }

        foreach (var row in table["rows"]!.AsArray())
        {
            if (row is JsonObject sub && sub.ContainsKey(JsonCompressor.TableKey))
            {
                foreach (var item in Expand(sub))
                {
                    result.Add(item!.DeepClone());
                }

                continue;
            }

            modal["rows"]!.AsArray().Clear();
            modal["rows"]!.AsArray().Add(row!.DeepClone());
            result.Add(Expand(modal)[0]!.DeepClone());
        }

        return result;
    }

    internal static JsonArray Expand(JsonObject table)
    {
        var columns = table[JsonCompressor.TableKey]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var constants = table[JsonCompressor.ConstKey]?.AsObject();
        var result = new JsonArray();
        foreach (var row in table["rows"]!.AsArray())
        {
            var item = new JsonObject();
            var values = row!.AsArray();
            for (var c = 0; c < columns.Count; c++)
            {
                Set(item, columns[c], values[c]?.DeepClone());
            }

            foreach (var (key, value) in constants ?? [])
            {
                Set(item, key, value?.DeepClone());
            }

            foreach (var equation in table[JsonDerivedColumns.Key]?.AsArray() ?? [])
            {
                // "derived = source minus leading 'p' and trailing 's'" or "derived = source before its last '-'".
                var m = Equation().Match(equation!.GetValue<string>());
                Assert.True(m.Success, equation.ToJsonString());
                var whole = Get(item, m.Groups["source"].Value)!.GetValue<string>();
                string cell;
                if (m.Groups["side"].Success)
                {
                    var at = whole.LastIndexOf(m.Groups["sep"].Value[0]);
                    Assert.True(at >= 0, whole);
                    cell = m.Groups["side"].Value == " before" ? whole[..at] : whole[(at + 1)..];
                }
                else
                {
                    var (prefix, suffix) = (m.Groups["prefix"].Value, m.Groups["suffix"].Value);
                    Assert.StartsWith(prefix, whole, StringComparison.Ordinal);
                    Assert.EndsWith(suffix, whole, StringComparison.Ordinal);
                    cell = whole[prefix.Length..^suffix.Length];
                }

                Set(item, m.Groups["derived"].Value, cell);
            }

            result.Add(item);
        }

        return result;
    }

    private static JsonNode? Get(JsonObject item, string dotted)
    {
        JsonNode? node = item;
        foreach (var p in dotted.Split('.'))
        {
            node = node![p];
        }

        return node;
    }

    [GeneratedRegex(@"^(?<derived>[^ ]+) = (?<source>[^ ]+)(?:(?<side> before| after) its last '(?<sep>.)'|(?: minus leading '(?<prefix>[^']*)')?(?:(?: and| minus) trailing '(?<suffix>[^']*)')?)$")]
    private static partial Regex Equation();

    private static void Set(JsonObject item, string dotted, JsonNode? value)
    {
        var parts = dotted.Split('.');
        var target = item;
        foreach (var p in parts[..^1])
        {
            target = (target[p] ??= new JsonObject()).AsObject();
        }

        target[parts[^1]] = value;
    }
}
