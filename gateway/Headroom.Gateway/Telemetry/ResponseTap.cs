using System.Buffers;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Watches the response bytes on their way to the client and extracts usage without holding any
/// of them back: SSE is read event by event; JSON is copied aside (up to a cap) and read at the end.
/// </summary>
public sealed class ResponseTap : IDisposable
{
    private const int MaxJsonBytes = 16 * 1024 * 1024;

    private readonly UsageAccumulator _usage = new();
    private SseUsageReader? _sse;
    private byte[]? _json;
    private int _jsonLength;
    private bool _jsonOverflow;
    private Mode _mode;

    public UsageAccumulator Usage => _usage;

    public bool IsEventStream => _mode == Mode.Sse;

    public long Bytes { get; private set; }

    /// <summary>Called once, before the first byte, with the response's content type.</summary>
    public void Begin(string? contentType)
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
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        switch (_mode)
        {
            case Mode.Sse:
                _sse!.Feed(data);
                break;
            case Mode.Json when !_jsonOverflow:
                if (_jsonLength + data.Length > MaxJsonBytes)
                {
                    _jsonOverflow = true;
                    break;
                }

                if (_json is null || _json.Length < _jsonLength + data.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_jsonLength + data.Length, Math.Max(4096, (_json?.Length ?? 0) * 2)));
                    if (_json is not null)
                    {
                        _json.AsSpan(0, _jsonLength).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(_json);
                    }

                    _json = bigger;
                }

                data.CopyTo(_json.AsSpan(_jsonLength));
                _jsonLength += data.Length;
                break;
        }
    }

    /// <summary>The response ended (or was cut): read what was collected.</summary>
    public void Complete()
    {
        if (_mode == Mode.Sse)
        {
            _sse!.Complete();
        }
        else if (_mode == Mode.Json && _json is not null && !_jsonOverflow)
        {
            _usage.Observe(_json.AsSpan(0, _jsonLength));
        }
    }

    public void Dispose()
    {
        _sse?.Dispose();
        if (_json is not null)
        {
            ArrayPool<byte>.Shared.Return(_json);
            _json = null;
        }
    }

    private enum Mode : byte
    {
        None,
        Sse,
        Json,
    }
}
