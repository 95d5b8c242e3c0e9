using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Headroom.Compressors.Tokens;

/// <summary>
/// Byte sequence → BPE rank, as an open-addressing hash table over one contiguous byte array:
/// lookups by span, no allocation. Built from the embedded resource that make-ranks.mjs writes.
/// </summary>
internal sealed class RankTable
{
    public const int NotFound = -1;

    private readonly byte[] _bytes;
    private readonly int[] _offsets; // token r occupies _bytes[_offsets[r].._offsets[r + 1]]
    private readonly int[] _slots;   // rank + 1, 0 = empty
    private readonly int _mask;

    private RankTable(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
        var count = offsets.Length - 1;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(count * 2 + 1));
        _slots = new int[size];
        _mask = size - 1;
        for (var rank = 0; rank < count; rank++)
        {
            var key = TokenBytes(rank);
            var slot = (int)Hash(key) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = rank + 1;
        }
    }

    public int Count => _offsets.Length - 1;

    public static RankTable LoadEmbedded()
    {
        const string name = "Headroom.Compressors.Tokens.o200k_base.ranks.gz";
        using var resource = typeof(RankTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing; rebuild the Headroom.Compressors project.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var raw = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        // Format: per rank, a length byte then the token bytes.
        var offsets = new List<int>(200_001);
        var bytes = new byte[raw.Length];
        var written = 0;
        for (var i = 0; i < raw.Length;)
        {
            int len = raw[i++];
            offsets.Add(written);
            raw.Slice(i, len).CopyTo(bytes.AsSpan(written));
            written += len;
            i += len;
        }

        offsets.Add(written);
        Array.Resize(ref bytes, written);
        return new RankTable(bytes, [.. offsets]);
    }

    public ReadOnlySpan<byte> TokenBytes(int rank) => _bytes.AsSpan(_offsets[rank], _offsets[rank + 1] - _offsets[rank]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(ReadOnlySpan<byte> key)
    {
        var slot = (int)Hash(key) & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return NotFound;
            }

            var rank = entry - 1;
            var start = _offsets[rank];
            if (_offsets[rank + 1] - start == key.Length && key.SequenceEqual(_bytes.AsSpan(start, key.Length)))
            {
                return rank;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<byte> key)
    {
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)key.Length;
        var i = 0;
        for (; i + 8 <= key.Length; i += 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(key[i..])) * 0xBF58476D1CE4E5B9UL, 31);
        }

        if (i < key.Length)
        {
            ulong tail = 0;
            for (var j = key.Length - 1; j >= i; j--)
            {
                tail = (tail << 8) | key[j];
            }

            h = BitOperations.RotateLeft((h ^ tail) * 0xBF58476D1CE4E5B9UL, 31);
        }

        h ^= h >> 29;
        h *= 0x94D049BB133111EBUL;
        return h ^ (h >> 32);
    }
}
