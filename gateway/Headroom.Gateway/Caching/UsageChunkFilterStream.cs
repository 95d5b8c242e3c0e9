using System.Buffers;
using Headroom.Gateway.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Removes the OpenAI Chat usage chunk (<c>"choices":[]</c> with a <c>usage</c> object) from a client's
/// event stream when the gateway asked for it and the client had not. It sits between the response tee
/// and the client: the tee writes every upstream byte here and then feeds its usage tap, so accounting
/// still sees the usage chunk while the client never does. (The upstream guard wraps the upstream content,
/// which the tee reads after it, so filtering there would hide the chunk from the tap too.)
/// Complete events are written through as they arrive; only an event still missing its blank line waits.
/// </summary>
internal sealed class UsageChunkFilterStream : Stream
{
    private readonly Stream _inner;
    private readonly HttpResponse _response;
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private bool? _active;

    private UsageChunkFilterStream(Stream inner, HttpResponse response)
    {
        _inner = inner;
        _response = response;
    }

    /// <summary>The client body, wrapped only when the cache planner asked for the usage chunk on the client's behalf.</summary>
    public static Stream Wrap(Stream clientBody, HttpResponse response, ProxyExchange exchange) =>
        CacheNotes.From(exchange.Live?.Annotations) is { StripUsageChunk: true } ? new UsageChunkFilterStream(clientBody, response) : clientBody;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Active())
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        _pending.Write(buffer.Span);
        var (keep, consumed) = Filter(_pending.WrittenSpan);
        if (keep.Length > 0)
        {
            await _inner.WriteAsync(keep, cancellationToken).ConfigureAwait(false);
        }

        Compact(consumed);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Active())
        {
            _inner.Write(buffer);
            return;
        }

        _pending.Write(buffer);
        var (keep, consumed) = Filter(_pending.WrittenSpan);
        _inner.Write(keep.Span);
        Compact(consumed);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The complete events of <paramref name="data"/> minus usage chunks, and how many bytes were consumed.</summary>
    internal static (ReadOnlyMemory<byte> Keep, int Consumed) Filter(ReadOnlySpan<byte> data)
    {
        var output = new ArrayBufferWriter<byte>(data.Length);
        var at = 0;
        while (at < data.Length)
        {
            var rest = data[at..];
            var (length, delimiter) = NextEvent(rest);
            if (length < 0)
            {
                break;
            }

            var evt = rest[..(length + delimiter)];
            if (!IsUsageChunk(evt))
            {
                output.Write(evt);
            }

            at += length + delimiter;
        }

        return (output.WrittenMemory, at);
    }

    private static (int Length, int Delimiter) NextEvent(ReadOnlySpan<byte> data)
    {
        var lf = data.IndexOf("\n\n"u8);
        var crlf = data.IndexOf("\r\n\r\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            return (crlf, 4);
        }

        return lf >= 0 ? (lf, 2) : (-1, 0);
    }

    /// <summary>A Chat stream chunk with no choices and a usage object: the one include_usage adds.</summary>
    internal static bool IsUsageChunk(ReadOnlySpan<byte> evt) =>
        evt.IndexOf("data:"u8) >= 0 && evt.IndexOf("\"choices\":[]"u8) >= 0 && evt.IndexOf("\"usage\":{"u8) >= 0;

    private bool Active()
    {
        // Only a successful event stream carries the usage chunk; anything else passes untouched.
        _active ??= _response.StatusCode == StatusCodes.Status200OK && (_response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) ?? false);
        return _active.Value;
    }

    private void Compact(int consumed)
    {
        if (consumed == 0)
        {
            return;
        }

        var rest = _pending.WrittenSpan[consumed..].ToArray();
        _pending.ResetWrittenCount();
        _pending.Write(rest);
    }
}
