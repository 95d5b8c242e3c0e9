using Headroom.Compressors.Code;
using Headroom.Compressors.Diff;
using Headroom.Compressors.Html;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Search;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Mixed;

/// <summary>
/// Markdown with fenced code, JSON blocks, logs, grep output or diffs inside: each section goes to its
/// own compressor (markers name the whole input's hash, which is what retrieval returns), fences and
/// prose between stay; the span map covers the whole input. A section is kept verbatim when its
/// compressor does not make it smaller.
/// </summary>
internal sealed class MixedCompressor : ICompressor
{
    private const int MinSectionChars = 300;
    private readonly Func<ContentType, ICompressor?> _resolve;

    public MixedCompressor(Func<ContentType, ICompressor?>? resolve = null) => _resolve = resolve ?? DefaultFor;

    public string Name => "mixed";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);

        string hash = OmissionMarker.HashOf(input, request.OriginalHash);
        var output = new TrackedOutput(input.Length / 2);
        bool lossy = false;
        foreach (var section in MixedSplitter.Split(input))
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            output.Kept(input, section.Start, section.BodyStart);
            int length = section.BodyEnd - section.BodyStart;
            var compressor = length >= MinSectionChars ? _resolve(section.Type) : null;
            CompressorOutput? inner = null;
            if (compressor is not null)
            {
                string body = input.Substring(section.BodyStart, length);
                inner = compressor.Compress(body, request with { OriginalHash = hash, Language = section.Language ?? request.Language });
                if (!inner.Lossy || inner.Output.Length >= body.Length)
                {
                    inner = null;
                }
            }

            if (inner is null)
            {
                output.Kept(input, section.BodyStart, section.BodyEnd);
            }
            else
            {
                // Keep the line structure: what followed the section (a closing fence, the next paragraph) starts a line.
                output.Splice(inner, section.BodyStart);
                if (input[section.BodyEnd - 1] == '\n' && !output.EndsWithNewline)
                {
                    output.Summary("\n");
                }

                lossy = true;
            }

            output.Kept(input, section.BodyEnd, section.End);
        }

        return output.Build(lossy);
    }

    private static ICompressor? DefaultFor(ContentType type) => type switch
    {
        ContentType.Code => new CodeCompressor(new CodeOptions { MinFileLines = 30 }),
        ContentType.Text => new ProseCompressor(),
        ContentType.Html => new HtmlCompressor(),
        ContentType.Json => new JsonCompressor(),
        ContentType.Log => new LogCompressor(),
        ContentType.Search => new SearchCompressor(),
        ContentType.Diff => new DiffCompressor(),
        _ => null,
    };
}
