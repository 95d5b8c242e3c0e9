using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// A streamed-through request body held to <c>Headroom:MaxBodyBytes</c>, chunked or not: the read that passes the
/// limit throws the 413 <see cref="BadHttpRequestException"/> the handler answers in the provider's shape. The
/// limit is enforced here rather than by lowering Kestrel's own: past Kestrel's limit the connection is closed
/// while the client may still be sending, and it gets a broken pipe instead of the error. Kestrel's limit stays
/// unset, so after the 413 it reads and discards the rest of the body (for at most its 5 s request-body drain
/// timeout, then it closes the connection) and the client reads the answer.
/// </summary>
internal sealed class BodyLimitStream : ReadOnlyWrapperStream
{
    private readonly long _limit;
    private long _read;

    public BodyLimitStream(Stream inner, long limit)
        : base(inner) => _limit = limit;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _read += n;
        if (_read > _limit)
        {
            throw new BadHttpRequestException($"The request body passed Headroom:MaxBodyBytes ({_limit} bytes).", StatusCodes.Status413PayloadTooLarge);
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        // The inner stream is Kestrel's request body: Kestrel owns it (and drains it after the response).
    }
}
