using System.Buffers;

namespace Headroom.Gateway.Retrieval;

/// <summary>A growable byte buffer rented from the shared pool (returned on dispose).</summary>
internal sealed class PooledBytes : IDisposable
{
    private byte[] _buffer;

    public PooledBytes(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Count);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Count);

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (Count + bytes.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Count + bytes.Length));
            _buffer.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(Count));
        Count += bytes.Length;
    }

    public void Clear() => Count = 0;

    /// <summary>Replaces every <paramref name="from"/> byte from <paramref name="start"/> on.</summary>
    public void Replace(int start, byte from, byte to) => _buffer.AsSpan(start, Count - start).Replace(from, to);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
