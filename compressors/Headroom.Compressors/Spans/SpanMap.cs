using System.Text;

namespace Headroom.Compressors.Spans;

/// <summary>Lifts char-index spans to UTF-8 byte offsets and checks a map's invariants.</summary>
public static class SpanMap
{
    /// <summary>Converts <paramref name="spans"/> (UTF-16 indices into <paramref name="source"/> and
    /// <paramref name="output"/>) to UTF-8 byte offsets, in one pass over each text.</summary>
    public static IReadOnlyList<ByteSpan> ToBytes(string source, string output, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(spans);
        var srcIdx = new List<int>(spans.Count * 2);
        var outIdx = new List<int>(spans.Count * 2);
        foreach (var s in spans)
        {
            outIdx.Add(s.OutStart);
            outIdx.Add(s.OutEnd);
            if (s.SrcStart >= 0)
            {
                srcIdx.Add(s.SrcStart);
                srcIdx.Add(s.SrcEnd);
            }
        }

        var srcBytes = ByteOffsets(source, srcIdx);
        var outBytes = ByteOffsets(output, outIdx);
        var result = new ByteSpan[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            result[i] = new ByteSpan(
                s.Kind,
                outBytes[s.OutStart],
                outBytes[s.OutEnd],
                s.SrcStart >= 0 ? srcBytes[s.SrcStart] : -1,
                s.SrcStart >= 0 ? srcBytes[s.SrcEnd] : -1);
        }

        return result;
    }

    /// <summary>Null when the map is valid: it covers the output from 0 to its end without gaps or
    /// overlaps, and every Kept span's output equals its source range. Otherwise what is wrong.</summary>
    public static string? Validate(string source, string output, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(spans);
        var at = 0;
        foreach (var s in spans)
        {
            if (s.OutStart != at || s.OutEnd <= s.OutStart || s.OutEnd > output.Length)
            {
                return $"span {s} does not continue at output index {at}";
            }

            if (s.Kind == SpanKind.Kept)
            {
                if (s.SrcStart < 0 || s.SrcEnd > source.Length || s.SrcEnd - s.SrcStart != s.OutEnd - s.OutStart
                    || !output.AsSpan(s.OutStart, s.OutEnd - s.OutStart).SequenceEqual(source.AsSpan(s.SrcStart, s.SrcEnd - s.SrcStart)))
                {
                    return $"kept span {s} does not copy its source range";
                }
            }

            at = s.OutEnd;
        }

        return at == output.Length ? null : $"spans end at {at}, output has {output.Length} chars";
    }

    private static Dictionary<int, int> ByteOffsets(string text, List<int> indices)
    {
        indices.Sort();
        var map = new Dictionary<int, int>(indices.Count);
        var charAt = 0;
        var byteAt = 0;
        foreach (var index in indices)
        {
            if (index == charAt && map.ContainsKey(index))
            {
                continue;
            }

            byteAt += Encoding.UTF8.GetByteCount(text.AsSpan(charAt, index - charAt));
            charAt = index;
            map[index] = byteAt;
        }

        return map;
    }
}
