using System.Buffers.Binary;
using Headroom.Compressors.Spans;

namespace Headroom.Provenance.Caching;

/// <summary>Span maps as 17-byte records: kind, then outStart, outEnd, srcStart, srcEnd as little-endian int32.</summary>
internal static class SpanCodec
{
    private const int RecordSize = 17;

    public static byte[] Encode(IReadOnlyList<Span> spans)
    {
        var bytes = new byte[spans.Count * RecordSize];
        for (var i = 0; i < spans.Count; i++)
        {
            var record = bytes.AsSpan(i * RecordSize, RecordSize);
            record[0] = (byte)spans[i].Kind;
            BinaryPrimitives.WriteInt32LittleEndian(record[1..], spans[i].OutStart);
            BinaryPrimitives.WriteInt32LittleEndian(record[5..], spans[i].OutEnd);
            BinaryPrimitives.WriteInt32LittleEndian(record[9..], spans[i].SrcStart);
            BinaryPrimitives.WriteInt32LittleEndian(record[13..], spans[i].SrcEnd);
        }

        return bytes;
    }

    public static Span[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % RecordSize != 0)
        {
            throw new InvalidDataException($"A stored span map has {bytes.Length} bytes, not a multiple of {RecordSize}.");
        }

        var spans = new Span[bytes.Length / RecordSize];
        for (var i = 0; i < spans.Length; i++)
        {
            var record = bytes.Slice(i * RecordSize, RecordSize);
            spans[i] = new Span(
                (SpanKind)record[0],
                BinaryPrimitives.ReadInt32LittleEndian(record[1..]),
                BinaryPrimitives.ReadInt32LittleEndian(record[5..]),
                BinaryPrimitives.ReadInt32LittleEndian(record[9..]),
                BinaryPrimitives.ReadInt32LittleEndian(record[13..]));
        }

        return spans;
    }
}
