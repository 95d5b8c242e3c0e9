using System.Net;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Wraps event-stream responses so that an upstream that dies mid-stream ends the client's
/// stream with a provider-shaped <c>error</c> event instead of a silently reset connection:
/// SDKs surface such an event as an API error the caller can retry on.
/// </summary>
internal sealed class UpstreamGuardHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<ProxyExchange> ExchangeKey = new("headroom.exchange");

    public UpstreamGuardHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Options.TryGetValue(ExchangeKey, out var exchange)
            && response.Content.Headers.ContentType?.MediaType is "text/event-stream"
            && response.Content.Headers.ContentLength is null)
        {
            response.Content = new WrappedContent(response.Content, source => new GuardedStream(source, exchange));
        }

        return response;
    }

    private sealed class GuardedStream : ReadOnlyWrapperStream
    {
        private readonly ProxyExchange _exchange;
        private ReadOnlyMemory<byte> _errorEvent;
        private bool _failed;

        public GuardedStream(Stream inner, ProxyExchange exchange)
            : base(inner) => _exchange = exchange;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_failed)
            {
                return DrainError(buffer.Span);
            }

            try
            {
                return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_exchange.ClientAborted.IsCancellationRequested
                                       && ex is IOException or HttpRequestException or OperationCanceledException)
            {
                // The client is still there but the upstream is not: finish the stream with an error event.
                _failed = true;
                var message = ex is OperationCanceledException
                    ? "The upstream provider stopped sending data (idle timeout) in the middle of the stream. Retry the request."
                    : "The connection to the upstream provider was lost in the middle of the stream. Retry the request.";
                _exchange.StreamFailure = ex is OperationCanceledException ? "upstream_timeout_mid_stream" : "upstream_reset_mid_stream";
                _errorEvent = ProviderErrors.SseEvent(_exchange.Route.Provider, ex is OperationCanceledException ? 504 : 502, message);
                return DrainError(buffer.Span);
            }
        }

        private int DrainError(Span<byte> destination)
        {
            var n = Math.Min(destination.Length, _errorEvent.Length);
            _errorEvent.Span[..n].CopyTo(destination);
            _errorEvent = _errorEvent[n..];
            return n;
        }
    }
}
