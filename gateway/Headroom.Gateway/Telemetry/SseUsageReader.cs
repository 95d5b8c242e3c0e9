using System.Buffers;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Incremental server-sent-events reader: fed arbitrary slices of the response as they pass,
/// it reassembles each event's data and hands the JSON of the events that matter to the
/// <see cref="UsageAccumulator"/>. Only events whose data mentions usage, error, or (until one is
/// known) the model are parsed, so the per-delta cost is a vectorised byte search.
/// </summary>
public sealed class SseUsageReader : IDisposable
{
    // An event bigger than this is skipped rather than buffered without bound.
    private const int MaxEventBytes = 4 * 1024 * 1024;

    private readonly UsageAccumulator _usage;
    private byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    private int _lineLength;
    private bool _lineOverflow;
    private byte[] _data = ArrayPool<byte>.Shared.Rent(4096);
    private int _dataLength;
    private bool _dataOverflow;
    private bool _lastWasCr;

    public SseUsageReader(UsageAccumulator usage) => _usage = usage;

    public int Events { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            if (_lastWasCr && chunk[0] == (byte)'\n')
            {
                // The \n of a \r\n pair split across reads: the line already ended at the \r.
                chunk = chunk[1..];
                _lastWasCr = false;
                continue;
            }

            _lastWasCr = false;
            var end = chunk.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                AppendLine(chunk);
                return;
            }

            AppendLine(chunk[..end]);
            if (chunk[end] == (byte)'\r')
            {
                if (end + 1 < chunk.Length && chunk[end + 1] == (byte)'\n')
                {
                    end++;
                }
                else if (end + 1 == chunk.Length)
                {
                    _lastWasCr = true;
                }
            }

            EndLine();
            chunk = chunk[(end + 1)..];
        }
    }

    /// <summary>The stream ended: an event without its blank line still counts (truncated streams).</summary>
    public void Complete()
    {
        if (_lineLength > 0)
        {
            EndLine();
        }

        Dispatch();
    }

    private void AppendLine(ReadOnlySpan<byte> bytes)
    {
        if (_lineOverflow)
        {
            return;
        }

        if (_lineLength + bytes.Length > MaxEventBytes)
        {
            _lineOverflow = true;
            return;
        }

        Ensure(ref _line, _lineLength + bytes.Length);
        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += bytes.Length;
    }

    private void EndLine()
    {
        var line = _line.AsSpan(0, _lineLength);
        var overflow = _lineOverflow;
        _lineLength = 0;
        _lineOverflow = false;
        if (line.IsEmpty && !overflow)
        {
            Dispatch();
            return;
        }

        if (overflow)
        {
            _dataOverflow = true;
            return;
        }

        if (line.StartsWith("data:"u8))
        {
            var value = line[5..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }

            if (_dataLength > 0)
            {
                AppendData("\n"u8);
            }

            AppendData(value);
        }

        // "event:", "id:", "retry:" and comments (":" keep-alives) carry nothing we need: the
        // data's own "type" field names the event for every provider.
    }

    private void AppendData(ReadOnlySpan<byte> bytes)
    {
        if (_dataOverflow || _dataLength + bytes.Length > MaxEventBytes)
        {
            _dataOverflow = true;
            return;
        }

        Ensure(ref _data, _dataLength + bytes.Length);
        bytes.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += bytes.Length;
    }

    private void Dispatch()
    {
        var data = _data.AsSpan(0, _dataLength);
        var skip = _dataOverflow;
        _dataLength = 0;
        _dataOverflow = false;
        if (skip || data.IsEmpty)
        {
            return;
        }

        Events++;
        if (data.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        // Gemini sends no [DONE] and no "usage": every event is a whole response with a running
        // "usageMetadata" (the last one final) and the model in "modelVersion".
        if (data.IndexOf("\"usage\""u8) >= 0 || data.IndexOf("\"error\""u8) >= 0 || data.IndexOf("\"usageMetadata\""u8) >= 0
            || (_usage.Model is null && (data.IndexOf("\"model\""u8) >= 0 || data.IndexOf("\"modelVersion\""u8) >= 0)))
        {
            _usage.Observe(data);
        }
    }

    private static void Ensure(ref byte[] buffer, int size)
    {
        if (size <= buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, buffer.Length * 2));
        buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        ArrayPool<byte>.Shared.Return(_data);
        _line = [];
        _data = [];
    }
}
