using System.Globalization;
using System.Text;
using System.Text.Json;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tokens;
using Xunit;
using Xunit.Abstractions;
using JsonCompressor = Headroom.Compressors.Json.JsonCompressor;

namespace Headroom.Compressors.Tests.Json;

/// <summary>Anomalies survive before any ratio target; small inputs keep their facts. Graded by
/// <see cref="JsonAnomalyOracle"/>.</summary>
public sealed class JsonAnomalyTests(ITestOutputHelper output)
{
    private static readonly JsonCompressor Compressor = new();

    private static readonly string[] Words =
        ["configure", "widget", "cluster", "retry", "timeout", "cache", "token", "deploy", "rollback", "schema", "index", "shard", "replica", "queue", "worker", "lease"];

    [Theory]
    [InlineData(100, 0.90)]
    [InlineData(1000, 0.85)]
    public void Compress_SearchResultsWithThreeOddItems_KeepsAllThreeWithEveryValue(int count, double minSaved)
    {
        var input = SearchResults(count);
        var mustKeep = JsonAnomalyOracle.MustKeep(input, query: null);
        Assert.Equal([$"$.results[{count * 37 / 100}]", $"$.results[{count * 58 / 100}]", $"$.results[{count * 81 / 100}]"], mustKeep.Select(m => m.Path));

        var result = Compressor.Compress(input, new CompressionRequest { OriginalHash = ContentHash.Compute(input) });
        Assert.Null(SpanMap.Validate(input, result.Output, result.Spans));
        using var parsed = JsonDocument.Parse(result.Output);
        foreach (var (reason, path, values) in mustKeep)
        {
            Assert.True(JsonAnomalyOracle.Missing(result.Output, values) is [], $"{reason} item {path} lost {string.Join(", ", JsonAnomalyOracle.Missing(result.Output, values))}");
        }

        var saved = Saved(input, result.Output);
        output.WriteLine($"{count} search results: {saved:P1} saved, {mustKeep.Count} anomalies kept");
        Assert.True(saved >= minSaved, $"saved {saved:P1} (< {minSaved:P0})");
    }

    [Fact]
    public void Compress_SmallJobStatusAskedWhyItFailed_KeepsTheLastCheckpoint()
    {
        var input = JobStatus();
        var before = O200kTokenizer.Instance.CountTokens(input);
        Assert.InRange(before, 800, 1400);

        var result = Compressor.Compress(input, new CompressionRequest { OriginalHash = ContentHash.Compute(input), Query = "why did the job fail?" });
        Assert.Null(SpanMap.Validate(input, result.Output, result.Spans));
        using var parsed = JsonDocument.Parse(result.Output);
        output.WriteLine($"job status: {before} → {O200kTokenizer.Instance.CountTokens(result.Output)} tokens");
        output.WriteLine(result.Output);
        foreach (var fact in new[] { "checkpoint saved at step 4500", "CUDA out of memory", "exit_code\":137", "loss=0.412", "gpu-a100-07" })
        {
            Assert.Contains(fact, result.Output, StringComparison.Ordinal);
        }

        Assert.True(O200kTokenizer.Instance.CountTokens(result.Output) < before);
    }

    [Fact]
    public void Compress_LongArrayAskedForAnIdentifier_KeepsTheItemNamingIt()
    {
        var input = SearchResults(300);
        const string query = "what does https://docs.example.com/widgets/211 say about retries?";
        var mustKeep = JsonAnomalyOracle.MustKeep(input, query);
        Assert.Contains(mustKeep, m => m.Reason == "query");

        var result = Compressor.Compress(input, new CompressionRequest { OriginalHash = ContentHash.Compute(input), Query = query });
        foreach (var (reason, path, values) in mustKeep)
        {
            Assert.True(JsonAnomalyOracle.Missing(result.Output, values) is [], $"{reason} item {path} lost {string.Join(", ", JsonAnomalyOracle.Missing(result.Output, values))}");
        }
    }

    private static double Saved(string input, string output) =>
        1 - (double)O200kTokenizer.Instance.CountTokens(output) / O200kTokenizer.Instance.CountTokens(input);

    /// <summary>Uniform search hits (id/title/url/score/snippet); two carry extra keys (a flag, a
    /// uuid) and one carries error/status instead of a snippet.</summary>
    internal static string SearchResults(int count)
    {
        var sb = new StringBuilder("{\"query\":\"widget retry timeout\",\"total\":").Append(count).Append(",\"results\":[");
        var seed = 12345u;
        string Word()
        {
            seed = (seed * 1103515245) + 12345;
            return Words[(seed >> 16) % (uint)Words.Length];
        }

        for (var i = 0; i < count; i++)
        {
            sb.Append(i > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"{{\"id\":{1000 + i},\"title\":\"How to {Word()} the {Word()} ({i})\",\"url\":\"https://docs.example.com/widgets/{i}\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"score\":{0.98 - (0.5 * i / count):F4},");
            if (i == count * 81 / 100)
            {
                sb.Append("\"status\":503,\"error\":\"upstream index shard-7 unavailable\"}");
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"\"snippet\":\"To {Word()} a {Word()}, set the {Word()} option before the {Word()} starts; see {Word()}.\"");
            if (i == count * 37 / 100)
            {
                sb.Append(",\"sponsored\":true");
            }
            else if (i == count * 58 / 100)
            {
                sb.Append(",\"uuid\":\"6f1c2a9e-3b7d-4e21-9a0f-5c8d7e4b1a23\"");
            }

            sb.Append('}');
        }

        return sb.Append("]}").ToString();
    }

    /// <summary>A failed training job: metadata, five steps and a log of 24 entries, ~1,000 tokens.</summary>
    internal static string JobStatus()
    {
        var log = new List<(string Level, string Message)>
        {
            ("info", "pulling image registry.internal/train:2.4.1"),
            ("info", "image pulled"),
            ("info", "mounting dataset volume /data/imagenet-2026"),
            ("info", "starting training loop"),
            ("info", "epoch 1/10 started"),
            ("info", "checkpoint saved at step 1500"),
            ("info", "epoch 1/10 finished loss=1.874"),
            ("info", "epoch 2/10 started"),
            ("info", "checkpoint saved at step 3000"),
            ("info", "epoch 2/10 finished loss=0.951"),
            ("info", "epoch 3/10 started"),
            ("info", "checkpoint saved at step 4500"),
            ("info", "epoch 3/10 finished loss=0.412"),
            ("info", "epoch 4/10 started"),
            ("info", "data loader workers restarted"),
            ("warn", "gpu memory at 97% on gpu-a100-07"),
            ("info", "evaluating on validation split"),
            ("warn", "evaluation batch retried"),
            ("error", "CUDA out of memory: tried to allocate 2.00 GiB on gpu-a100-07"),
            ("info", "writing crash report"),
            ("info", "releasing lease"),
            ("error", "process exited with code 137"),
            ("info", "uploading logs"),
            ("info", "done"),
        };
        var sb = new StringBuilder();
        sb.Append("""{"job":{"id":"train-resnet50-7781","name":"resnet50 nightly","status":"failed","queue":"gpu-a100","node":"gpu-a100-07","submitted_by":"mlops-bot","created_at":"2026-11-30T07:58:12Z","started_at":"2026-11-30T08:00:01Z","finished_at":"2026-11-30T10:47:36Z","exit_code":137},""");
        sb.Append("\"steps\":[");
        var steps = new[] { ("checkout", "succeeded", 12), ("restore-cache", "succeeded", 41), ("prepare-data", "succeeded", 302), ("train", "failed", 9641), ("upload-artifacts", "skipped", 0) };
        for (var i = 0; i < steps.Length; i++)
        {
            sb.Append(i > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"{{\"name\":\"{steps[i].Item1}\",\"status\":\"{steps[i].Item2}\",\"duration_s\":{steps[i].Item3}}}");
        }

        sb.Append("],\"log\":[");
        for (var i = 0; i < log.Count; i++)
        {
            var ts = new DateTime(2026, 11, 30, 8, 0, 1, DateTimeKind.Utc).AddSeconds(i * 417);
            sb.Append(i > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"{{\"ts\":\"{ts:yyyy-MM-ddTHH:mm:ssZ}\",\"level\":\"{log[i].Level}\",\"message\":\"{log[i].Message}\"}}");
        }

        sb.Append("""],"resources":{"gpus":8,"gpu_type":"a100-80gb","cpu":64,"memory_gb":512},"retry":{"attempt":1,"max_attempts":3,"next_attempt_at":null}}""");
        return sb.ToString();
    }
}
