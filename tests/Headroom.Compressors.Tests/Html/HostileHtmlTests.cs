using Headroom.Compressors.Html;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Pipeline;
using Xunit;

namespace Headroom.Compressors.Tests.Html;

/// <summary>
/// Deeply nested HTML is forwarded as it is, decided by a linear pre-scan and not by the clock:
/// AngleSharp's tree builder is quadratic on deep nesting (50,000 unclosed <c>&lt;ul&gt;&lt;li&gt;</c>,
/// 915 KB, held a core for 89.8 s), and a parse cut short by the budget depended on how loaded the machine
/// was. Real pages stay far below the limit and still compress.
/// </summary>
public sealed class HostileHtmlTests
{
    private static readonly CompressionPipeline Pipeline = new(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(50) });

    [Theory]
    [InlineData("<ul><li>item", 50_000)]
    [InlineData("<div>item", 50_000)]
    [InlineData("<div><span>item", 600)]
    public void DeeplyNestedHtml_IsForwardedAsItIs_WithTheReason(string open, int count)
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat(open, count)) + "</body></html>";

        var result = Pipeline.Compress(html, new CompressionRequest(), ContentType.Html);

        Assert.False(result.Compressed);
        Assert.Equal(html, result.Output);
        Assert.Contains($"nested deeper than {NestingDepth.Limit}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRealPageInTheSharedData_IsFarBelowTheLimit()
    {
        var pages = Directory.GetFiles(Path.Combine(Fixtures.SharedDataDirectory(), "html"), "source.html", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);

        var deepest = pages.Select(p => (Page: p, Depth: NestingDepth.Deepest(File.ReadAllText(p)))).MaxBy(x => x.Depth);

        Assert.True(deepest.Depth < NestingDepth.Limit / 2, $"{deepest.Page} nests {deepest.Depth} deep");
    }

    [Fact]
    public void AnArticleNestedTwoHundredDeep_StillCompresses()
    {
        var article = string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"<p>Paragraph {i} explains, in plain words, how the replication log is truncated after a checkpoint, and why a replica that lags behind must fetch a snapshot first.</p>"));
        var nav = string.Concat(Enumerable.Range(0, 60).Select(i => $"<li><a href=\"/section/{i}\">Section {i}</a>"));
        var html = "<html><head><title>Replication</title></head><body><nav><ul>" + nav + "</ul></nav>"
            + string.Concat(Enumerable.Repeat("<div class=\"wrap\">", 200)) + "<article>" + article + "</article>"
            + string.Concat(Enumerable.Repeat("</div>", 200)) + "</body></html>";

        Assert.False(NestingDepth.Exceeds(html));
        // The budget is not what this test is about: an unlimited one keeps it independent of machine load.
        var unlimited = new CompressionPipeline(options: PipelineOptions.Default with { TimeBudget = TimeSpan.FromMinutes(5) });
        var result = unlimited.Compress(html, new CompressionRequest(), ContentType.Html);

        Assert.True(result.Compressed, result.Reason);
        Assert.Contains("Paragraph 39 explains", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(600, "<li>", false)] // Optional end tags: siblings, not nesting.
    [InlineData(600, "<p>", false)]
    [InlineData(600, "<br>", false)] // Void.
    [InlineData(600, "<div/>", false)] // Self-closed.
    [InlineData(600, "<div></div>", false)]
    [InlineData(600, "<!-- <div> -->", false)]
    [InlineData(600, "<script>if (a <div) { x = '<div>'; }</script>", false)]
    [InlineData(600, "a < b and c<d ", false)]
    [InlineData(512, "<div>", true)] // With <body>: 513 open.
    [InlineData(511, "<div>", false)]
    [InlineData(512, "<section class=\"x>y\">", true)]
    public void TheScan_CountsOnlyElementsThatNeedAnEndTag(int count, string unit, bool exceeds)
    {
        var html = "<body>" + string.Concat(Enumerable.Repeat(unit, count)) + "</body>";

        Assert.Equal(exceeds, NestingDepth.Exceeds(html));
    }

    [Fact]
    public void TheParse_HonoursTheBudgetToken()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => HtmlExtractor.Extract("<html><body><p>text</p></body></html>", cancelled.Token));
    }
}
