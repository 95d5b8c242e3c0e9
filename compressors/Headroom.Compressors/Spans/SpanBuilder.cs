using System.Text;
using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Spans;

/// <summary>
/// Writes compressed output and its span map together, so the map cannot drift from the text.
/// Adjacent Kept pieces that are contiguous in both output and source merge into one span.
/// </summary>
internal sealed class SpanBuilder
{
    private readonly string _source;
    private readonly StringBuilder _out;
    private readonly List<Span> _spans = [];

    public SpanBuilder(string source, int capacity = 256)
    {
        _source = source;
        _out = new StringBuilder(capacity);
    }

    public int Length => _out.Length;

    /// <summary>Copies source[start, end) verbatim.</summary>
    public SpanBuilder Kept(int start, int end)
    {
        if (end <= start)
        {
            return this;
        }

        var outStart = _out.Length;
        _out.Append(_source, start, end - start);
        if (_spans.Count > 0)
        {
            var last = _spans[^1];
            if (last.Kind == SpanKind.Kept && last.OutEnd == outStart && last.SrcEnd == start)
            {
                _spans[^1] = last with { OutEnd = _out.Length, SrcEnd = end };
                return this;
            }
        }

        _spans.Add(new Span(SpanKind.Kept, outStart, _out.Length, start, end));
        return this;
    }

    /// <summary>Text the compressor wrote, standing for source[srcStart, srcEnd) (or -1/-1).</summary>
    public SpanBuilder Summary(string text, int srcStart = -1, int srcEnd = -1) => Written(SpanKind.Summary, text, srcStart, srcEnd);

    public SpanBuilder Marker(string text, int srcStart = -1, int srcEnd = -1) => Written(SpanKind.Marker, text, srcStart, srcEnd);

    public CompressorOutput Build(bool lossy) => new(_out.ToString(), [.. _spans]) { Lossy = lossy };

    private SpanBuilder Written(SpanKind kind, string text, int srcStart, int srcEnd)
    {
        if (text.Length == 0)
        {
            return this;
        }

        var outStart = _out.Length;
        _out.Append(text);
        if (kind == SpanKind.Summary && _spans.Count > 0 && _spans[^1] is { Kind: SpanKind.Summary } last && last.OutEnd == outStart
            && last.SrcStart == srcStart && last.SrcEnd == srcEnd)
        {
            _spans[^1] = last with { OutEnd = _out.Length };
            return this;
        }

        _spans.Add(new Span(kind, outStart, _out.Length, srcStart, srcEnd));
        return this;
    }
}
