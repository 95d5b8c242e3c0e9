using System.Text;
using Headroom.Compressors.Pipeline;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Runs every compressor once per process before traffic arrives: the first call pays for JIT
/// and for loading the tokenizer's ranks, which would otherwise eat the first request's time
/// budget and forward it uncompressed. The C# parser is the exception: it warms itself on first use.
/// </summary>
internal static class PipelineWarmup
{
    private static readonly Lazy<TimeSpan> Once = new(Run);

    public static TimeSpan EnsureWarm() => Once.Value;

    private static TimeSpan Run()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var pipeline = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30) });
        foreach (var sample in Samples())
        {
            pipeline.Compress(sample, new CompressionRequest { Query = "error" });
        }

        return watch.Elapsed;
    }

    private static IEnumerable<string> Samples()
    {
        var log = new StringBuilder();
        var json = new StringBuilder("[");
        var grep = new StringBuilder();
        var diff = new StringBuilder("diff --git a/src/a.cs b/src/a.cs\n--- a/src/a.cs\n+++ b/src/a.cs\n");
        for (var i = 0; i < 120; i++)
        {
            log.Append("2026-11-22 10:00:").Append(i % 60).Append(" INFO worker ").Append(i % 7).Append(" processed batch ").Append(i).Append(" in ").Append(i * 3).Append(" ms\n");
            // The shapes real logs add, so their code is compiled here and not inside a request's 50 ms budget:
            // bracketed components, key=value fields, hex ids, paths, a template of another token count (a
            // family), warnings and an error template repeated past the collapse threshold.
            log.Append("2026-11-22 10:00:").Append(i % 60).Append(" INFO [api] GET /v1/orders/").Append(1000 + i).Append(" 200 ").Append(i % 97).Append("ms user=u").Append(i % 13)
                .Append(" region=eu-west-1 trace=").Append(((uint)(i * 2654435761u)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            if (i % 10 == 0)
            {
                log.Append("2026-11-22 10:00:").Append(i % 60).Append(" INFO [api] GET /v1/orders/").Append(1000 + i).Append(" 200 (cached, ").Append(i).Append(" KB) user=u").Append(i % 13).Append('\n');
                log.Append("2026-11-22 10:00:").Append(i % 60).Append(" WARN [pool] connection ").Append(i).Append(" idle for ").Append(i * 5).Append(" s, closing host=db-").Append(i % 3).Append(".internal:5432\n");
                log.Append("2026-11-22 10:00:").Append(i % 60).Append(" ERROR [billing] charge failed for invoice inv_").Append(4000 + i).Append(": card_declined (attempt 3/3)\n");
            }
            json.Append(i > 0 ? "," : "").Append("{\"id\":").Append(i).Append(",\"status\":\"").Append(i % 13 == 0 ? "error" : "ok").Append("\",\"latency\":").Append(i * 7 % 100).Append('}');
            grep.Append("src/file").Append(i % 9).Append(".cs:").Append(i).Append(":    var value = Compute(").Append(i).Append(");\n");
            diff.Append("@@ -").Append(i * 10).Append(",3 +").Append(i * 10).Append(",3 @@\n context line\n-old ").Append(i).Append("\n+new ").Append(i).Append('\n');
        }

        log.Append("2026-11-22 10:01:00 ERROR worker 3 failed: connection refused\n");
        yield return log.ToString();
        yield return json.Append(']').ToString();
        yield return grep.ToString();
        yield return diff.ToString();
        yield return "<html><body><nav>menu</nav><article><h1>Title</h1>" + string.Concat(Enumerable.Repeat("<p>Some paragraph text about the topic at hand.</p>", 40)) + "</article></body></html>";
        yield return string.Concat(Enumerable.Repeat("The gateway compresses tool outputs. It keeps every cut reversible. ", 60));

        // No C# here: Roslyn (about 19 MB resident) is loaded by the first C# output, before its time budget
        // starts (CodeCompressor.WarmUp), so a gateway that never sees C# does not carry it.
    }
}
