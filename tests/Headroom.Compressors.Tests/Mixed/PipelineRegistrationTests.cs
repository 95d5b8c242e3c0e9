using Headroom.Compressors.Code;
using Headroom.Compressors.Html;
using Headroom.Compressors.Mixed;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Code;
using Headroom.Compressors.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Mixed;

/// <summary>The code, HTML, prose and mixed compressors are registered and survive the pipeline's guards (marker hash, span map, savings).</summary>
public sealed class PipelineRegistrationTests
{
    private static readonly PipelineOptions Relaxed = new() { TimeBudget = TimeSpan.FromSeconds(30) };

    [Fact]
    public void DefaultRegistry_MapsCodeHtmlTextAndMixed()
    {
        var registry = CompressorRegistry.CreateDefault();

        Assert.IsType<CodeCompressor>(registry.Find(ContentType.Code));
        Assert.IsType<HtmlCompressor>(registry.Find(ContentType.Html));
        Assert.IsType<ProseCompressor>(registry.Find(ContentType.Text));
        Assert.IsType<MixedCompressor>(registry.Find(ContentType.Mixed));
    }

    [Theory]
    [InlineData(ContentType.Code, "csharp")]
    [InlineData(ContentType.Code, "python")]
    [InlineData(ContentType.Code, "go")]
    public void Pipeline_AcceptsCodeSkeletons(ContentType type, string language)
    {
        string source = language switch
        {
            "csharp" => CodeFixtures.CSharp(),
            "python" => CodeFixtures.Python(),
            _ => CodeFixtures.Go(),
        };

        var result = new CompressionPipeline(options: Relaxed).Compress(source, new CompressionRequest { Language = language }, type);

        Assert.Equal("code", result.Compressor);
        Assert.True(result.Lossy, result.Reason);
        Assert.True(result.TokensAfter < result.TokensBefore * 0.7, $"{result.TokensAfter} of {result.TokensBefore}");
        Assert.Contains("hash=" + result.Hash, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_AcceptsHtml()
    {
        string page = "<html><head><title>T</title><script>var x = 1;</script></head><body><nav><a href='/'>Home</a></nav><article>"
            + string.Concat(Enumerable.Range(0, 20).Select(i => $"<p>Paragraph {i} explains, in some detail, how the gateway keeps prefix caches warm across turns.</p>"))
            + "</article><footer>Footer links and a copyright line that nobody needs.</footer></body></html>";

        var result = new CompressionPipeline(options: Relaxed).Compress(page, CompressionRequest.Empty, ContentType.Html);

        Assert.Equal("html", result.Compressor);
        Assert.True(result.Lossy, result.Reason);
        Assert.Contains("Paragraph 19 explains", result.Output, StringComparison.Ordinal);
        Assert.Contains("hash=" + result.Hash, result.Output, StringComparison.Ordinal);
    }
}
