using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// The header rules every upstream request keeps, on every path (YARP forwarding and the retrieval
/// loop's own requests), applied after the client's headers were copied:
/// 1. <c>Host</c> is the upstream's authority, never the client's: CDN edges route by it and
///    refuse a foreign one (421), and .NET takes the TLS server name (SNI) from it (RFC 9110 §7.2).
///    On HTTP/2 the <c>:authority</c> pseudo-header follows the request URI.
/// 2. <c>x-headroom-*</c> headers are the gateway's controls and never leave. The hop-by-hop
///    headers (<c>Connection</c>, <c>Keep-Alive</c>, <c>TE</c> other than <c>trailers</c>,
///    <c>Transfer-Encoding</c>, <c>Upgrade</c> other than WebSocket, <c>Proxy-*</c>; RFC 9110 §7.6.1)
///    are dropped by YARP's copy and skipped by the retrieval loop's.
/// 3. <c>Forwarded</c> / <c>X-Forwarded-*</c> / <c>X-Real-IP</c> follow <see cref="ForwardedHeadersMode"/>:
///    by default the caller's address never reaches the provider.
/// </summary>
internal static class UpstreamHeaders
{
    private static readonly string[] AddressHeaders =
    [
        "Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "X-Original-Forwarded-For",
    ];

    public static void Apply(HttpContext context, HttpRequestMessage request, ForwardedHeadersMode mode)
    {
        // 1. The authority comes from the request URI (the configured upstream).
        request.Headers.Host = null;

        var headers = context.Request.Headers;
        foreach (var header in headers)
        {
            // 2. Our own controls (and, unless kept, the X-Forwarded-* family of rule 3).
            if (header.Key.StartsWith("x-headroom-", StringComparison.OrdinalIgnoreCase)
                || (mode != ForwardedHeadersMode.Keep && header.Key.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)))
            {
                Remove(request, header.Key);
            }
        }

        // 3. The caller's address.
        if (mode == ForwardedHeadersMode.Keep)
        {
            return;
        }

        foreach (var name in AddressHeaders)
        {
            Remove(request, name);
        }

        if (mode == ForwardedHeadersMode.Set)
        {
            var address = context.Connection.RemoteIpAddress;
            if (address is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString());
            }

            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
            if (context.Request.Host.HasValue)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
            }
        }
    }

    private static void Remove(HttpRequestMessage request, string name)
    {
        request.Headers.Remove(name);
        request.Content?.Headers.Remove(name);
    }
}
