using BenchmarkDotNet.Attributes;
using Headroom.Bench.Compressors;
using Headroom.Compressors.Tokens;
using Microsoft.ML.Tokenizers;

namespace Headroom.Bench.Tokens;

/// <summary>
/// Counting speed of our o200k tokenizer (embedded rank table) against Microsoft.ML.Tokenizers'
/// Tiktoken with the O200kBase data package, on 1 MB of each kind of real input from
/// ../shared/data. The design card's rule: use the library unless it is more than 1.5× slower.
/// Run: <c>compressors-speed --filter *TokenizerBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private readonly TiktokenTokenizer _library = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private string _text = "";

    [Params("logs", "json", "diffs", "prose", "html")]
    public string Kind { get; set; } = "logs";

    [GlobalSetup]
    public void Setup()
    {
        var data = CompressorsEvalSuite.FindSharedData();
        _text = Kind switch
        {
            "logs" => CompressorBenchmarks.OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "logs"), "*_2k.log", SearchOption.AllDirectories)),
            "json" => CompressorBenchmarks.JsonMegabyte(data),
            "diffs" => CompressorBenchmarks.OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "diffs"), "*.diff")),
            "prose" => CompressorBenchmarks.OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "qa"), "*.jsonl")),
            _ => CompressorBenchmarks.OneMegabyte(Directory.EnumerateFiles(Path.Combine(data, "html"), "source.html", SearchOption.AllDirectories)),
        };

        // Both must count the same text alike, or the comparison means nothing.
        var (ours, theirs) = (O200kTokenizer.Instance.CountTokens(_text), _library.CountTokens(_text));
        if (ours != theirs)
        {
            Console.WriteLine($"// {Kind}: counts differ, ours {ours} vs Microsoft.ML.Tokenizers {theirs}");
        }
    }

    [Benchmark(Baseline = true, Description = "ours (embedded ranks)")]
    public int Ours() => O200kTokenizer.Instance.CountTokens(_text);

    [Benchmark(Description = "Microsoft.ML.Tokenizers Tiktoken o200k")]
    public int Library() => _library.CountTokens(_text);
}
