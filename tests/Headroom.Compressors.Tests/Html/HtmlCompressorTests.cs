using Headroom.Compressors.Html;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Html;

public sealed class HtmlCompressorTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html><head><title>Kestrel limits explained</title><style>body { color: red }</style>
        <script>var tracking = "SECRET_TRACKER";</script></head>
        <body>
        <nav class="site-nav"><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/about">About us</a></nav>
        <div id="sidebar"><h3>Popular posts</h3><ul><li><a href="/p1">Sidebar link one</a></li><li><a href="/p2">Sidebar link two</a></li></ul></div>
        <div class="article-body">
          <h1>Kestrel limits explained</h1>
          <p>Kestrel enforces a maximum request body size of 30,000,000 bytes by default, and the limit can be raised per endpoint.
             See <a href="https://learn.microsoft.com/kestrel">the Kestrel docs</a> for the full list of options, including header limits.</p>
          <p>When a request exceeds the limit, the server answers with status 413, and the connection is closed afterwards, so clients should retry carefully.</p>
          <h2>Options</h2>
          <ul><li>MaxRequestBodySize, in bytes</li><li>MaxRequestHeaderCount, a count</li></ul>
          <table><thead><tr><th>Option</th><th>Default</th></tr></thead>
            <tbody><tr><td>MaxRequestBodySize</td><td>30,000,000</td></tr><tr><td>MaxRequestHeaderCount</td><td>100</td></tr>
            <tr><td>KeepAliveTimeout</td><td>130 s</td></tr><tr><td>RequestHeadersTimeout</td><td>30 s</td></tr></tbody></table>
          <p>Read <a href="https://learn.microsoft.com/kestrel">the Kestrel docs</a> again, and remember that these limits apply per connection, not per process.</p>
          <p style="display:none">HIDDEN_PARAGRAPH text that nobody should see in the output at all.</p>
          <p aria-hidden="true">ARIA_HIDDEN paragraph text that screen readers and agents skip entirely.</p>
        </div>
        <form><input name="q"><button>Search FORM_BUTTON</button></form>
        <footer>Copyright FOOTER_TEXT 2026, all rights reserved.</footer>
        </body></html>
        """;

    private static readonly CompressionRequest Request = new() { OriginalHash = "0123456789abcdef01234567" };

    [Fact]
    public void Compress_KeepsArticleAndDropsChrome()
    {
        var output = new HtmlCompressor().Compress(Page, Request).Output;

        Assert.Contains("maximum request body size of 30,000,000 bytes", output, StringComparison.Ordinal);
        Assert.Contains("status 413", output, StringComparison.Ordinal);
        foreach (var gone in new[] { "SECRET_TRACKER", "color: red", "Sidebar link", "About us", "FORM_BUTTON", "FOOTER_TEXT", "HIDDEN_PARAGRAPH", "ARIA_HIDDEN" })
        {
            Assert.DoesNotContain(gone, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compress_WritesMarkdownHeadingsListsAndPipeTables()
    {
        var output = new HtmlCompressor().Compress(Page, Request).Output;

        Assert.Contains("# Kestrel limits explained", output, StringComparison.Ordinal);
        Assert.Contains("\n## Options\n", output, StringComparison.Ordinal);
        Assert.Contains("- MaxRequestBodySize, in bytes\n- MaxRequestHeaderCount, a count", output, StringComparison.Ordinal);
        Assert.Contains("| Option | Default |\n| --- | --- |\n| MaxRequestBodySize | 30,000,000 |", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_WritesEachUrlOnce()
    {
        var output = new HtmlCompressor().Compress(Page, Request).Output;

        Assert.Contains("[the Kestrel docs](https://learn.microsoft.com/kestrel)", output, StringComparison.Ordinal);
        Assert.Equal(1, Count(output, "https://learn.microsoft.com/kestrel"));
        Assert.Contains("Read the Kestrel docs again", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_EndsWithMarkerNamingTheHash()
    {
        var result = new HtmlCompressor().Compress(Page, Request);

        Assert.True(result.Lossy);
        Assert.Matches(@"\[headroom: \d[\d,]* of \d[\d,]* lines omitted \([^)]*\); full text: headroom_retrieve hash=0123456789abcdef01234567\]$", result.Output);
        SpanAssert.Valid(Page, result);
    }

    [Fact]
    public void Compress_IsDeterministic()
    {
        var a = new HtmlCompressor().Compress(Page, Request);
        var b = new HtmlCompressor().Compress(Page, Request);

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    [Fact]
    public void Compress_WithoutRequestHash_ComputesSha256Prefix()
    {
        var output = new HtmlCompressor().Compress(Page, CompressionRequest.Empty).Output;

        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Page));
        Assert.EndsWith("hash=" + Convert.ToHexStringLower(digest)[..24] + "]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_PreformattedTextBecomesFencedBlock()
    {
        const string html = "<html><body><article><p>Run the following command to build the whole solution, then check the output for warnings.</p>"
            + "<pre>dotnet build -c Release\n  --no-restore</pre><p>That is all there is to it, and the build should pass on every supported platform.</p></article></body></html>";

        var output = new HtmlCompressor().Compress(html, Request).Output;

        Assert.Contains("```\ndotnet build -c Release\n  --no-restore\n```", output, StringComparison.Ordinal);
    }

    private static int Count(string text, string needle)
    {
        int n = 0;
        for (int i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
