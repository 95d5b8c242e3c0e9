namespace Headroom.Gateway.Hosting;

/// <summary>
/// What the gateway does with <c>Forwarded</c> / <c>X-Forwarded-*</c> / <c>X-Real-IP</c> toward the
/// provider (<c>Headroom:ForwardedHeaders</c>). The provider has no use for the caller's address, so
/// by default none reaches it.
/// </summary>
public enum ForwardedHeadersMode
{
    /// <summary>Drop any the client sent and add none (default).</summary>
    Strip,

    /// <summary>Pass the client's own headers as sent; add none.</summary>
    Keep,

    /// <summary>Drop the client's and send <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> describing the caller (RFC 7239 practice).</summary>
    Set,
}
