using System.Buffers;
using System.Text;

namespace Headroom.Gateway.Retrieval;

/// <summary>Splits an upstream event stream into whole events, as they arrive.</summary>
internal sealed class SseEventReader
{
    private readonly Stream _source;
    private readonly byte[] _chunk = new byte[16 * 1024];
    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private bool _ended;

    public SseEventReader(Stream source) => _source = source;

    /// <summary>The next event, or null at the end of the stream (a trailing partial event is returned first).</summary>
    public async ValueTask<SseEvent?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = EventEnd(_pending.WrittenSpan);
            if (end > 0)
            {
                var raw = _pending.WrittenSpan[..end].ToArray();
                var rest = _pending.WrittenSpan[end..].ToArray();
                _pending.ResetWrittenCount();
                _pending.Write(rest);
                return Parse(raw);
            }

            if (_ended)
            {
                if (_pending.WrittenCount == 0)
                {
                    return null;
                }

                var tail = _pending.WrittenSpan.ToArray();
                _pending.ResetWrittenCount();
                return Parse(tail);
            }

            var read = await _source.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
            }
            else
            {
                _pending.Write(_chunk.AsSpan(0, read));
            }
        }
    }

    /// <summary>Offset just past the first blank line (\n\n, \r\n\r\n or \r\r), or 0.</summary>
    private static int EventEnd(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && bytes[i + 1] == (byte)'\n')
            {
                return i + 2;
            }

            if (bytes[i] == (byte)'\r' && bytes[i + 1] == (byte)'\r')
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

    private static SseEvent Parse(byte[] raw)
    {
        var data = new ArrayBufferWriter<byte>(raw.Length);
        string? name = null;
        foreach (var line in Encoding.UTF8.GetString(raw).Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.WrittenCount > 0)
                {
                    data.Write("\n"u8);
                }

                data.Write(Encoding.UTF8.GetBytes(l[5..].StartsWith(' ') ? l[6..] : l[5..]));
            }
            else if (l.StartsWith("event:", StringComparison.Ordinal))
            {
                name = l[6..].Trim();
            }
        }

        return new SseEvent(raw, data.WrittenSpan.ToArray(), name);
    }
}
