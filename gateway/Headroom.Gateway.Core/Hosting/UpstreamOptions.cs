namespace Headroom.Gateway.Hosting;

/// <summary>Where each provider's traffic goes and how the gateway reaches it (<c>Headroom:Upstreams:*</c>).</summary>
public sealed record UpstreamOptions
{
    public string Anthropic { get; init; } = "https://api.anthropic.com";

    public string OpenAI { get; init; } = "https://api.openai.com";

    /// <summary>Google's Gemini API (<c>/v1beta/models/*</c>, <c>/v1beta/cachedContents*</c>).</summary>
    public string Gemini { get; init; } = "https://generativelanguage.googleapis.com";

    /// <summary>
    /// A PEM file of extra CA certificates trusted for upstream TLS (private gateways, TLS-inspecting
    /// corporate proxies), on top of the system store. The standard <c>SSL_CERT_FILE</c> /
    /// <c>SSL_CERT_DIR</c> variables replace the system store instead.
    /// </summary>
    public string? CaBundle { get; init; }

    /// <summary>
    /// Outbound HTTP proxy for upstream calls. Unset: the standard <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>,
    /// <c>ALL_PROXY</c> and <c>NO_PROXY</c> variables apply. <c>none</c>: always connect directly.
    /// A URL: use that proxy, except for hosts in <see cref="NoProxy"/>.
    /// </summary>
    public string? Proxy { get; init; }

    /// <summary>Comma-separated hosts or domain suffixes reached without <see cref="Proxy"/> (same syntax as <c>NO_PROXY</c>).</summary>
    public string? NoProxy { get; init; }
}
