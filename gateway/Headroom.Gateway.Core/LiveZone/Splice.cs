namespace Headroom.Gateway.LiveZone;

/// <summary>A byte range of the original body and what replaces it (an empty range inserts).</summary>
public readonly record struct Splice(int Start, int End, ReadOnlyMemory<byte> Replacement)
{
    /// <summary>Copies <paramref name="body"/> with every splice applied (splices sorted, non-overlapping).</summary>
    public static byte[] Apply(ReadOnlySpan<byte> body, IReadOnlyList<Splice> splices)
    {
        var length = body.Length;
        foreach (var s in splices)
        {
            length += s.Replacement.Length - (s.End - s.Start);
        }

        var result = new byte[length];
        var at = 0;
        var from = 0;
        foreach (var s in splices)
        {
            if (s.Start < from || s.End < s.Start || s.End > body.Length)
            {
                throw new ArgumentException($"Splices must be sorted and non-overlapping; got [{s.Start},{s.End}) after offset {from}.", nameof(splices));
            }

            body[from..s.Start].CopyTo(result.AsSpan(at));
            at += s.Start - from;
            s.Replacement.Span.CopyTo(result.AsSpan(at));
            at += s.Replacement.Length;
            from = s.End;
        }

        body[from..].CopyTo(result.AsSpan(at));
        return result;
    }
}
