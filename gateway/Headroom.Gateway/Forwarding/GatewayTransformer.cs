using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// YARP's default header copy, minus our own <c>x-headroom-*</c> control headers (they are for
/// the gateway, not the provider). Authorization and API-key headers pass untouched.
/// </summary>
internal sealed class GatewayTransformer : HttpTransformer
{
    public static GatewayTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        foreach (var header in httpContext.Request.Headers)
        {
            if (header.Key.StartsWith("x-headroom-", StringComparison.OrdinalIgnoreCase))
            {
                proxyRequest.Headers.Remove(header.Key);
                proxyRequest.Content?.Headers.Remove(header.Key);
            }
        }

        if (httpContext.Features.Get<ProxyExchange>() is { } exchange)
        {
            proxyRequest.Options.Set(UpstreamGuardHandler.ExchangeKey, exchange);
            exchange.UpstreamSentTimestamp = Stopwatch.GetTimestamp();
        }
    }
}
