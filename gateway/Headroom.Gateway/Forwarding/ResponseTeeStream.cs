using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Sits in front of the client's response body: every write goes to the client first, untouched
/// and unbuffered, then a view of the same bytes goes to the usage tap.
/// </summary>
internal sealed class ResponseTeeStream : Stream
{
    private readonly Stream _inner;
    private readonly HttpResponse _response;
    private readonly ProxyExchange _exchange;
    private bool _begun;

    public ResponseTeeStream(Stream inner, HttpResponse response, ProxyExchange exchange)
    {
        _inner = inner;
        _response = response;
        _exchange = exchange;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Begin();
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _exchange.Tap.Feed(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Begin();
        _inner.Write(buffer);
        _exchange.Tap.Feed(buffer);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Begin()
    {
        if (_begun)
        {
            return;
        }

        _begun = true;
        _exchange.FirstByteTimestamp = Stopwatch.GetTimestamp();
        _exchange.Tap.Begin(_response.ContentType, _response.Headers.ContentEncoding.ToString());
    }
}
