using System.Net;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// An explicit outbound proxy (<c>Headroom:Upstreams:Proxy</c>) with a <c>NO_PROXY</c>-style bypass
/// list (<c>Headroom:Upstreams:NoProxy</c>): comma-separated host names, domain suffixes
/// (<c>.example.com</c> or <c>example.com</c> match subdomains), IP addresses, or <c>*</c>.
/// </summary>
internal sealed class UpstreamProxy : IWebProxy
{
    private readonly Uri _proxy;
    private readonly string[] _bypass;

    public UpstreamProxy(Uri proxy, string? noProxy)
    {
        _proxy = proxy;
        _bypass = (noProxy ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    public ICredentials? Credentials { get; set; }

    public Uri GetProxy(Uri destination) => _proxy;

    public bool IsBypassed(Uri host)
    {
        foreach (var entry in _bypass)
        {
            if (entry == "*")
            {
                return true;
            }

            // "host:port" entries match that port only.
            var name = entry;
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && !entry.Contains(']', StringComparison.Ordinal) && int.TryParse(entry.AsSpan(colon + 1), out var port))
            {
                if (port != host.Port)
                {
                    continue;
                }

                name = entry[..colon];
            }

            name = name.TrimStart('*').TrimStart('.');
            if (host.Host.Equals(name, StringComparison.OrdinalIgnoreCase)
                || host.Host.EndsWith("." + name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The proxy <c>Headroom:Upstreams:Proxy</c> asks for: null for the standard environment variables, <see cref="None"/> for direct.</summary>
    public static IWebProxy? FromOptions(string? proxy, string? noProxy)
    {
        if (string.IsNullOrWhiteSpace(proxy))
        {
            return null;
        }

        if (proxy.Equals("none", StringComparison.OrdinalIgnoreCase) || proxy.Equals("direct", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        if (!Uri.TryCreate(proxy, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "socks4" or "socks4a" or "socks5"))
        {
            throw new InvalidOperationException($"Headroom:Upstreams:Proxy must be a URL such as http://proxy.corp:3128 (or 'none'); got '{proxy}'.");
        }

        return new UpstreamProxy(uri, noProxy);
    }

    /// <summary>Direct connections only.</summary>
    public static IWebProxy None { get; } = new DirectProxy();

    private sealed class DirectProxy : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) => null;

        public bool IsBypassed(Uri host) => true;
    }
}
