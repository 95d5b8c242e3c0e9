namespace Headroom.Gateway.Hosting;

/// <summary>The <c>Headroom</c> configuration section (appsettings, HEADROOM__* variables, CLI flags).</summary>
public sealed record GatewayOptions
{
    public const string Section = "Headroom";

    /// <summary>Address Kestrel binds to. Loopback by default: the gateway carries API keys.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8787;

    public UpstreamOptions Upstreams { get; init; } = new();

    /// <summary>Largest request body accepted; larger bodies get 413 in the provider's error shape.</summary>
    public long MaxBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long the upstream may stay silent (before headers or between body reads) before the
    /// request fails with 504. Thinking models can be silent for minutes, so the default is long.
    /// </summary>
    public int UpstreamIdleTimeoutSeconds { get; init; } = 600;

    /// <summary>Time allowed to open a TCP/TLS connection to the upstream.</summary>
    public int ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>Whether the caller's address reaches the provider in <c>Forwarded</c>/<c>X-Forwarded-*</c> headers.</summary>
    public ForwardedHeadersMode ForwardedHeaders { get; init; } = ForwardedHeadersMode.Strip;

    /// <summary>When set, admin endpoints accept any caller presenting it as a bearer token;
    /// when unset, they answer loopback callers only.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Salt for tenant ids (hashes of API keys). Replicas sharing a store need the same value.</summary>
    public string? TenantSalt { get; init; }

    /// <summary>Event store: <c>sqlite:PATH</c> (default <c>sqlite:DATADIR/headroom.db</c>) or <c>postgres:CONNECTION STRING</c>.</summary>
    public string? Store { get; init; }

    /// <summary>Where the embedded store, the event spool and the tenant salt live.</summary>
    public string DataDirectory { get; init; } = "~/.headroom";

    /// <summary>How long originals of compressed outputs stay retrievable.</summary>
    public int RetentionDays { get; init; } = 7;

    public string ResolvedDataDirectory => DataDirectory.StartsWith('~')
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), DataDirectory.TrimStart('~').TrimStart('/'))
        : DataDirectory;

    public string ResolvedStore => string.IsNullOrWhiteSpace(Store) ? "sqlite:" + Path.Combine(ResolvedDataDirectory, "headroom.db") : Store;

    public Headroom.Gateway.LiveZone.CompressionOptions Compression { get; init; } = new();
}
