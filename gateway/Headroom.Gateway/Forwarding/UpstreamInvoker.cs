using System.Net;
using Headroom.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// The one shared connection pool to the providers: no redirects, cookies or decompression (the
/// client gets the provider's bytes); HTTP/2 over TLS when the provider offers it; the outbound
/// proxy from <c>Headroom:Upstreams:Proxy</c> or the standard environment variables; TLS verified
/// against the system store plus <c>Headroom:Upstreams:CaBundle</c>.
/// </summary>
internal sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker(IOptions<GatewayOptions> options)
    {
        var upstreams = options.Value.Upstreams;
        var proxy = UpstreamProxy.FromOptions(upstreams.Proxy, upstreams.NoProxy);
        var handler = new SocketsHttpHandler
        {
            // Null proxy with UseProxy: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY from the environment.
            UseProxy = !ReferenceEquals(proxy, UpstreamProxy.None),
            Proxy = ReferenceEquals(proxy, UpstreamProxy.None) ? null : proxy,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            // Trace headers are not ours to add to a provider request: keep the request as the client sent it.
            // Null (not a propagator that injects nothing) leaves HttpClient's diagnostics handler out of the
            // chain altogether: no outgoing-request activity and no handler layer per request.
            ActivityHeadersPropagator = null,
        };
        var trust = UpstreamTrust.FromBundle(upstreams.CaBundle);
        if (trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.Validate(certificate, chain, errors);
        }

        Invoker = new HttpMessageInvoker(new UpstreamGuardHandler(handler), disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
