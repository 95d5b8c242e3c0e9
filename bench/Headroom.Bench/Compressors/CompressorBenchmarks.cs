using BenchmarkDotNet.Attributes;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;

namespace Headroom.Bench.Compressors;

/// <summary>
/// Throughput of the tokenizer and of each compressor on 1 MB of real input from ../shared/data
/// (files concatenated and cut to 1 MB at a line boundary; JSON: the largest arrays merged into one
/// array). Target: o200k counting ≥ 20 MB/s on one core; 1 MB compressed in ≤ 50 ms.
/// </summary>
[MemoryDiagnoser]
public class CompressorBenchmarks
{
    private const int Size = 1 << 20;
    private readonly CompressionPipeline _pipeline = new(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30), MinSavedFraction = -1 });
    private string _logs = "";
    private string _json = "";
    private string _search = "";
    private string _diff = "";
    private string _prose = "";

    [GlobalSetup]
    public void Setup()
    {
        var data = CompressorsEvalSuite.FindSharedData();
        _logs = OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "logs"), "*_2k.log", SearchOption.AllDirectories));
        _search = OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "grep"), "*.txt"));
        _diff = OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "diffs"), "*.diff"));
        _prose = OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "qa"), "*.jsonl"));
        _json = JsonMegabyte(data);
    }

    [Benchmark(Description = "o200k count 1 MB logs")]
    public int CountLogs() => O200kTokenizer.Instance.CountTokens(_logs);

    [Benchmark(Description = "o200k count 1 MB prose")]
    public int CountProse() => O200kTokenizer.Instance.CountTokens(_prose);

    [Benchmark(Description = "detect 1 MB logs")]
    public ContentType Detect() => Headroom.Compressors.Detection.ContentDetector.Detect(_logs).Type;

    [Benchmark(Description = "log compressor 1 MB")]
    public int LogCompressorOnly() => new Headroom.Compressors.Logs.LogCompressor().Compress(_logs, CompressionRequest.Empty).Output.Length;

    [Benchmark(Description = "json compressor 1 MB")]
    public int JsonCompressorOnly() => new Headroom.Compressors.Json.JsonCompressor().Compress(_json, CompressionRequest.Empty).Output.Length;

    [Benchmark(Description = "search compressor 1 MB")]
    public int SearchCompressorOnly() => new Headroom.Compressors.Search.SearchCompressor().Compress(_search, new CompressionRequest { Query = "deprecated" }).Output.Length;

    [Benchmark(Description = "diff compressor 1 MB")]
    public int DiffCompressorOnly() => new Headroom.Compressors.Diff.DiffCompressor().Compress(_diff, CompressionRequest.Empty).Output.Length;

    [Benchmark(Description = "pipeline 1 MB log")]
    public int Log() => _pipeline.Compress(_logs, CompressionRequest.Empty, ContentType.Log).TokensAfter;

    [Benchmark(Description = "pipeline 1 MB json")]
    public int Json() => _pipeline.Compress(_json, CompressionRequest.Empty, ContentType.Json).TokensAfter;

    [Benchmark(Description = "pipeline 1 MB search")]
    public int Search() => _pipeline.Compress(_search, new CompressionRequest { Query = "deprecated" }, ContentType.Search).TokensAfter;

    [Benchmark(Description = "pipeline 1 MB diff")]
    public int Diff() => _pipeline.Compress(_diff, CompressionRequest.Empty, ContentType.Diff).TokensAfter;

    internal static string OneMegabyte(IEnumerable<string> files)
    {
        var sb = new System.Text.StringBuilder(Size + 4096);
        var ordered = files.Order(StringComparer.Ordinal).ToList();
        while (sb.Length < Size)
        {
            foreach (var f in ordered)
            {
                sb.Append(File.ReadAllText(f));
                if (sb.Length >= Size)
                {
                    break;
                }
            }
        }

        var text = sb.ToString(0, Size);
        return text[..(text.LastIndexOf('\n') + 1)];
    }

    internal static string JsonMegabyte(string data)
    {
        var items = new List<string>();
        var total = 0;
        foreach (var f in Directory.EnumerateFiles(Path.Combine(data, "json"), "github_*.json").Order(StringComparer.Ordinal))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(f));
            var array = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? doc.RootElement
                : doc.RootElement.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == System.Text.Json.JsonValueKind.Array);
            if (array.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in array.EnumerateArray())
            {
                var raw = item.GetRawText();
                if (total + raw.Length > Size)
                {
                    return "{\"items\":[" + string.Join(",", items) + "]}";
                }

                items.Add(raw);
                total += raw.Length + 1;
            }
        }

        return "{\"items\":[" + string.Join(",", items) + "]}";
    }
}
