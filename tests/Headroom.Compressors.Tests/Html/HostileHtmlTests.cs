using System.Diagnostics;
using Headroom.Compressors.Pipeline;
using Xunit;

namespace Headroom.Compressors.Tests.Html;

/// <summary>
/// The compression budget bounds the HTML parser too: AngleSharp's tree builder is quadratic on deep
/// nesting, and 50,000 unclosed <c>&lt;ul&gt;&lt;li&gt;</c> (915 KB) used to hold a core for 89.8 s
/// with the 50 ms budget. Now the parse stops at the budget and the original is forwarded.
/// </summary>
public sealed class HostileHtmlTests
{
    [Theory]
    [InlineData("<ul><li>item", 50_000)]
    [InlineData("<div>item", 50_000)]
    public void DeeplyNestedHtml_StopsAtTheBudget_AndFailsOpen(string open, int count)
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat(open, count)) + "</body></html>";
        var pipeline = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(50) });

        var clock = Stopwatch.StartNew();
        var result = pipeline.Compress(html, new CompressionRequest(), ContentType.Html);

        Assert.False(result.Compressed);
        Assert.Contains("time budget", result.Reason, StringComparison.Ordinal);
        // A hang guard, not a speed target: before the fix this took 7-90 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
