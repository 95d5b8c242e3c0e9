using System.Buffers;
using Headroom.Gateway.Forwarding;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Watches the response bytes on their way to the client and extracts usage without holding any
/// of them back: SSE is read event by event; JSON is copied aside (up to a cap) and read at the end.
/// </summary>
public sealed class ResponseTap : IDisposable
{
    private const int MaxCollectedBytes = 16 * 1024 * 1024;

    private readonly UsageAccumulator _usage = new();
    private SseUsageReader? _sse;
    private byte[]? _collected;
    private int _collectedLength;
    private bool _overflow;
    private string? _encoding;
    private Mode _mode;

    public UsageAccumulator Usage => _usage;

    public bool IsEventStream => _mode == Mode.Sse;

    public long Bytes { get; private set; }

    /// <summary>
    /// Called once, before the first byte, with the response's content type and content coding.
    /// A compressed response (gzip, br, deflate) reaches the client as it came; the tap keeps the
    /// compressed bytes aside (up to a cap) and reads usage from their decoded form at the end.
    /// </summary>
    public void Begin(string? contentType, string? contentEncoding = null)
    {
        if (contentType is null)
        {
            _mode = Mode.None;
        }
        else if (contentType.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            _mode = Mode.Sse;
            _sse = new SseUsageReader(_usage);
        }
        else if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            _mode = Mode.Json;
        }

        if (!string.IsNullOrEmpty(contentEncoding) && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            _encoding = contentEncoding;
        }
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        if (_mode == Mode.Sse && _encoding is null)
        {
            _sse!.Feed(data);
        }
        else if (_mode != Mode.None)
        {
            Collect(data);
        }
    }

    private void Collect(ReadOnlySpan<byte> data)
    {
        if (_overflow)
        {
            return;
        }

        if (_collectedLength + data.Length > MaxCollectedBytes)
        {
            _overflow = true;
            return;
        }

        if (_collected is null || _collected.Length < _collectedLength + data.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_collectedLength + data.Length, Math.Max(4096, (_collected?.Length ?? 0) * 2)));
            if (_collected is not null)
            {
                _collected.AsSpan(0, _collectedLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_collected);
            }

            _collected = bigger;
        }

        data.CopyTo(_collected.AsSpan(_collectedLength));
        _collectedLength += data.Length;
    }

    /// <summary>The response ended (or was cut): read what was collected.</summary>
    public void Complete()
    {
        if (_encoding is not null && _collected is not null && !_overflow)
        {
            CompleteEncoded();
            return;
        }

        if (_mode == Mode.Sse)
        {
            _sse!.Complete();
        }
        else if (_mode == Mode.Json && _collected is not null && !_overflow)
        {
            _usage.Observe(_collected.AsSpan(0, _collectedLength));
        }
    }

    private void CompleteEncoded()
    {
        using var compressed = new MemoryStream(_collected!, 0, _collectedLength, writable: false);
        using var decoded = ContentCoding.Decode(compressed, _encoding);
        if (decoded is null)
        {
            return; // a coding we cannot read: usage stays unknown, the client got the bytes anyway
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var plain = new MemoryStream();
        try
        {
            int read;
            while ((read = ReadSafely(decoded, buffer)) > 0)
            {
                if (_mode == Mode.Sse)
                {
                    _sse!.Feed(buffer.AsSpan(0, read));
                }
                else if (plain.Length + read <= MaxCollectedBytes)
                {
                    plain.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_mode == Mode.Sse)
        {
            _sse!.Complete();
        }
        else if (_mode == Mode.Json)
        {
            _usage.Observe(plain.GetBuffer().AsSpan(0, (int)plain.Length));
        }
    }

    /// <summary>A response cut short decodes as far as it goes.</summary>
    private static int ReadSafely(Stream decoded, byte[] buffer)
    {
        try
        {
            return decoded.Read(buffer, 0, buffer.Length);
        }
        catch (InvalidDataException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        _sse?.Dispose();
        if (_collected is not null)
        {
            ArrayPool<byte>.Shared.Return(_collected);
            _collected = null;
        }
    }

    private enum Mode : byte
    {
        None,
        Sse,
        Json,
    }
}
