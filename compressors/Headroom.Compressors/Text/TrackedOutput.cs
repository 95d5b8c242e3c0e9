using System.Text;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Text;

/// <summary>
/// Builds a compressor's output together with its span map: every appended range is recorded as
/// Kept (copied from the source), Summary (written by the compressor) or Marker. Adjacent Kept
/// ranges that are also adjacent in the source merge into one span.
/// </summary>
internal sealed class TrackedOutput
{
    private readonly StringBuilder _text;
    private readonly List<Span> _spans = [];

    public TrackedOutput(int capacity = 256) => _text = new StringBuilder(capacity);

    public int Length => _text.Length;

    public bool EndsWithNewline => _text.Length == 0 || _text[^1] == '\n';

    public void Kept(string source, int start, int end)
    {
        if (end <= start)
        {
            return;
        }

        int outStart = _text.Length;
        _text.Append(source, start, end - start);
        if (_spans.Count > 0)
        {
            var last = _spans[^1];
            if (last.Kind == SpanKind.Kept && last.OutEnd == outStart && last.SrcEnd == start)
            {
                _spans[^1] = last with { OutEnd = _text.Length, SrcEnd = end };
                return;
            }
        }

        _spans.Add(new Span(SpanKind.Kept, outStart, _text.Length, start, end));
    }

    public void Summary(string text, int srcStart = -1, int srcEnd = -1) => Add(SpanKind.Summary, text, srcStart, srcEnd);

    public void Marker(string text, int srcStart = -1, int srcEnd = -1) => Add(SpanKind.Marker, text, srcStart, srcEnd);

    /// <summary>Appends another compressor's output, shifting its spans (source offsets by <paramref name="srcOffset"/>).</summary>
    public void Splice(CompressorOutput inner, int srcOffset)
    {
        int outOffset = _text.Length;
        _text.Append(inner.Output);
        foreach (var s in inner.Spans)
        {
            var shifted = new Span(
                s.Kind,
                s.OutStart + outOffset,
                s.OutEnd + outOffset,
                s.SrcStart < 0 ? s.SrcStart : s.SrcStart + srcOffset,
                s.SrcEnd < 0 ? s.SrcEnd : s.SrcEnd + srcOffset);
            if (shifted.Kind == SpanKind.Kept && _spans.Count > 0)
            {
                var last = _spans[^1];
                if (last.Kind == SpanKind.Kept && last.OutEnd == shifted.OutStart && last.SrcEnd == shifted.SrcStart)
                {
                    _spans[^1] = last with { OutEnd = shifted.OutEnd, SrcEnd = shifted.SrcEnd };
                    continue;
                }
            }

            _spans.Add(shifted);
        }
    }

    public CompressorOutput Build(bool lossy) => new(_text.ToString(), _spans.ToArray()) { Lossy = lossy };

    private void Add(SpanKind kind, string text, int srcStart, int srcEnd)
    {
        if (text.Length == 0)
        {
            return;
        }

        int outStart = _text.Length;
        _text.Append(text);
        _spans.Add(new Span(kind, outStart, _text.Length, srcStart, srcEnd));
    }
}
