using System.Buffers;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// Splits an upstream event stream into whole events without copying them: an event is a view of the
/// read buffer, valid until the next <see cref="TryNext"/> or <see cref="ReadMoreAsync"/>. The relay asks
/// for every event already received before it reads again, so it can flush once per arrival.
/// </summary>
internal sealed class SseEventReader : IDisposable
{
    private readonly Stream _source;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private int _scanned;
    private bool _ended;

    public SseEventReader(Stream source) => _source = source;

    /// <summary>The next event already received; at the end of the stream, a trailing partial event.</summary>
    public bool TryNext(out SseEvent ev)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        var end = EventEnd(pending, Math.Max(0, _scanned - _start - 3));
        if (end == 0 && _ended && pending.Length > 0)
        {
            end = pending.Length;
        }

        if (end == 0)
        {
            _scanned = _end;
            ev = default;
            return false;
        }

        ev = Parse(_buffer.AsMemory(_start, end));
        _start += end;
        _scanned = _start;
        return true;
    }

    /// <summary>Reads more from the upstream; false once it has ended.</summary>
    public async ValueTask<bool> ReadMoreAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        if (_start > 0)
        {
            // Earlier events were handed out and used: keep only the partial one.
            var length = _end - _start;
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
            _scanned -= _start;
            _start = 0;
            _end = length;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _ended = true;
        }

        _end += read;
        return true;
    }

    /// <summary>The next event, reading as needed; default at the end of the stream.</summary>
    public async ValueTask<SseEvent> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryNext(out var ev))
            {
                return ev;
            }

            if (!await ReadMoreAsync(cancellationToken).ConfigureAwait(false))
            {
                return default;
            }
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = _scanned = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Offset just past the first blank line (\n\n, \r\n\r\n or \r\r) at or after <paramref name="from"/>, or 0.</summary>
    private static int EventEnd(ReadOnlySpan<byte> bytes, int from)
    {
        for (var i = from; i + 1 < bytes.Length; i++)
        {
            var found = bytes[i..].IndexOfAny((byte)'\n', (byte)'\r');
            if (found < 0)
            {
                return 0;
            }

            i += found;
            if (i + 1 >= bytes.Length)
            {
                return 0;
            }

            if (bytes[i] == bytes[i + 1])
            {
                return i + 2;
            }

            if (i + 3 < bytes.Length && bytes[i] == (byte)'\r' && bytes[i + 1] == (byte)'\n' && bytes[i + 2] == (byte)'\r' && bytes[i + 3] == (byte)'\n')
            {
                return i + 4;
            }
        }

        return 0;
    }

    /// <summary>Splits one event into its fields; data stays a view of <paramref name="raw"/> unless it spans several lines.</summary>
    internal static SseEvent Parse(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        ReadOnlyMemory<byte> name = default;
        ReadOnlyMemory<byte> data = default;
        var dataOffset = -1;
        ArrayBufferWriter<byte>? joined = null;
        var position = 0;
        while (position < span.Length)
        {
            var rest = span[position..];
            var length = rest.IndexOfAny((byte)'\n', (byte)'\r');
            var line = length < 0 ? rest : rest[..length];
            var next = length < 0 ? span.Length : position + length + (rest[length] == '\r' && length + 1 < rest.Length && rest[length + 1] == '\n' ? 2 : 1);
            if (line.StartsWith("data:"u8))
            {
                var skip = line.Length > 5 && line[5] == ' ' ? 6 : 5;
                if (dataOffset < 0)
                {
                    dataOffset = position + skip;
                    data = raw.Slice(dataOffset, line.Length - skip);
                }
                else
                {
                    if (joined is null)
                    {
                        joined = new ArrayBufferWriter<byte>(raw.Length);
                        joined.Write(data.Span);
                    }

                    joined.Write("\n"u8);
                    joined.Write(line[skip..]);
                }
            }
            else if (line.StartsWith("event:"u8))
            {
                var value = line[6..];
                var lead = value.Length - value.TrimStart(" \t"u8).Length;
                var trimmed = value.Trim(" \t"u8).Length;
                name = raw.Slice(position + 6 + lead, trimmed);
            }

            position = next;
        }

        return joined is null
            ? new SseEvent(raw, data, dataOffset, name)
            : new SseEvent(raw, joined.WrittenMemory, -1, name);
    }
}
