using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Html;

/// <summary>
/// Web page → the article as compact Markdown plus one retrieval marker. Scripts, styles,
/// navigation, forms, hidden elements and boilerplate are dropped (see <see cref="HtmlExtractor"/>).
/// The Markdown is written by the compressor, so it is one Summary span standing for the whole page.
/// </summary>
internal sealed class HtmlCompressor : ICompressor
{
    public string Name => "html";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);

        if (NestingDepth.Exceeds(input))
        {
            throw new CompressorDeclinedException($"HTML nested deeper than {NestingDepth.Limit} elements; forwarded as it is (parsing it would take time quadratic in the depth)");
        }

        var page = HtmlExtractor.Extract(input, request.CancellationToken);
        request.CancellationToken.ThrowIfCancellationRequested();
        string markdown = MarkdownWriter.Write(page);
        var output = new TrackedOutput(markdown.Length + 160);
        if (markdown.Length == 0)
        {
            // Nothing readable: say so rather than pretend the page was empty.
            output.Kept(input, 0, input.Length);
            return output.Build(lossy: false);
        }

        int totalLines = OmissionMarker.CountLines(input);
        int keptLines = OmissionMarker.CountLines(markdown);
        int omitted = Math.Max(0, totalLines - keptLines);
        string hash = OmissionMarker.HashOf(input, request.OriginalHash);
        output.Summary(markdown, 0, input.Length);
        output.Summary("\n\n");
        output.Marker(OmissionMarker.Lines(omitted, totalLines, "page markup, scripts, navigation and boilerplate; article kept as Markdown", hash), 0, input.Length);
        return output.Build(lossy: true);
    }
}
