using System.Diagnostics;
using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// YARP's default header copy, then the rules every upstream request keeps (<see cref="UpstreamHeaders"/>):
/// the upstream's <c>Host</c>, no <c>x-headroom-*</c>, no Connection-named headers, no caller address.
/// Authorization and API-key headers pass untouched.
/// </summary>
internal sealed class GatewayTransformer : HttpTransformer
{
    private readonly ForwardedHeadersMode _forwarded;

    public GatewayTransformer(ForwardedHeadersMode forwarded) => _forwarded = forwarded;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        UpstreamHeaders.Apply(httpContext, proxyRequest, _forwarded);

        if (httpContext.Features.Get<ProxyExchange>() is { } exchange)
        {
            proxyRequest.Options.Set(UpstreamGuardHandler.ExchangeKey, exchange);
            exchange.UpstreamSentTimestamp = Stopwatch.GetTimestamp();
        }
    }
}
