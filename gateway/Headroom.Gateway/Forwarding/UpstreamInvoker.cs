using System.Diagnostics;
using System.Net;
using Headroom.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Forwarding;

/// <summary>The one shared connection pool to the providers (no redirects, cookies, decompression or proxy).</summary>
internal sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker(IOptions<GatewayOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ActivityHeadersPropagator = new ReverseProxyPropagatorShim(),
        };
        Invoker = new HttpMessageInvoker(new UpstreamGuardHandler(handler), disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();

    /// <summary>Trace headers are not ours to add to a provider request: keep the request as the client sent it.</summary>
    private sealed class ReverseProxyPropagatorShim : DistributedContextPropagator
    {
        public override IReadOnlyCollection<string> Fields { get; } = [];

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
        {
        }

        public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        {
            traceId = null;
            traceState = null;
        }

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
    }
}
