using System.Collections;
using Headroom.Compressors.Spans;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// What was forwarded for a tool output the first time the gateway saw it: the exact JSON string
/// token (or nothing, meaning "as sent"), plus what provenance needs to describe it again.
/// The span map is held packed (a few bytes per span instead of 20 and an array per entry): the replay
/// cache holds tens of thousands of entries, each with one span per kept line.
/// </summary>
public sealed record ReplayEntry(byte[]? Token, string? Compressor, string? Hash, int TokensBefore, int TokensAfter, bool Lossy, IReadOnlyList<ByteSpan> Spans)
{
    public static ReplayEntry AsSent { get; } = new(null, null, null, 0, 0, false, []);

    public IReadOnlyList<ByteSpan> Spans { get; init; } = PackedSpans.Pack(Spans);

    /// <summary>Bytes the span map takes in memory (the replay cache's size bound counts them).</summary>
    internal int SpanBytes => Spans is PackedSpans packed ? packed.Bytes : Spans.Count * 20;

    /// <summary>
    /// Spans as variable-length integers, each relative to the one before (outputs are mostly contiguous,
    /// sources ascending), with the offset of every 16th span kept for indexed reads.
    /// </summary>
    private sealed class PackedSpans : IReadOnlyList<ByteSpan>
    {
        private const int Stride = 16;
        private static readonly PackedSpans Empty = new([], [], 0);

        private readonly byte[] _data;
        private readonly int[] _checkpoints;

        private PackedSpans(byte[] data, int[] checkpoints, int count)
        {
            _data = data;
            _checkpoints = checkpoints;
            Count = count;
        }

        public int Count { get; }

        public int Bytes => 32 + _data.Length + (4 * _checkpoints.Length);

        public static IReadOnlyList<ByteSpan> Pack(IReadOnlyList<ByteSpan> spans)
        {
            if (spans is PackedSpans)
            {
                return spans;
            }

            if (spans.Count == 0)
            {
                return Empty;
            }

            var writer = new Writer(spans.Count * 6);
            var checkpoints = new int[((spans.Count - 1) / Stride) + 1];
            ByteSpan previous = default;
            for (var i = 0; i < spans.Count; i++)
            {
                if (i % Stride == 0)
                {
                    checkpoints[i / Stride] = writer.Length;
                    previous = default; // each checkpoint decodes on its own
                }

                var s = spans[i];
                writer.Write((uint)s.Kind);
                writer.Write(Zig(s.OutStart - previous.OutEnd));
                writer.Write(Zig(s.OutEnd - s.OutStart));
                writer.Write(Zig(s.SrcStart - previous.SrcEnd));
                writer.Write(Zig(s.SrcEnd - s.SrcStart));
                previous = s;
            }

            return new PackedSpans(writer.ToArray(), checkpoints, spans.Count);
        }

        public ByteSpan this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                var at = _checkpoints[index / Stride];
                ByteSpan s = default;
                for (var i = index - (index % Stride); i <= index; i++)
                {
                    s = Read(ref at, s);
                }

                return s;
            }
        }

        public IEnumerator<ByteSpan> GetEnumerator()
        {
            var at = 0;
            ByteSpan previous = default;
            for (var i = 0; i < Count; i++)
            {
                previous = Read(ref at, i % Stride == 0 ? default : previous);
                yield return previous;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private ByteSpan Read(ref int at, ByteSpan previous)
        {
            var kind = (SpanKind)ReadUInt(ref at);
            var outStart = previous.OutEnd + Unzig(ReadUInt(ref at));
            var outEnd = outStart + Unzig(ReadUInt(ref at));
            var srcStart = previous.SrcEnd + Unzig(ReadUInt(ref at));
            var srcEnd = srcStart + Unzig(ReadUInt(ref at));
            return new ByteSpan(kind, outStart, outEnd, srcStart, srcEnd);
        }

        private uint ReadUInt(ref int at)
        {
            uint value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _data[at++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        private static uint Zig(int value) => (uint)((value << 1) ^ (value >> 31));

        private static int Unzig(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

        private struct Writer(int capacity)
        {
            private byte[] _buffer = new byte[Math.Max(16, capacity)];

            public int Length { get; private set; }

            public void Write(uint value)
            {
                if (Length + 5 > _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                while (value >= 0x80)
                {
                    _buffer[Length++] = (byte)(value | 0x80);
                    value >>= 7;
                }

                _buffer[Length++] = (byte)value;
            }

            public readonly byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
        }
    }
}
