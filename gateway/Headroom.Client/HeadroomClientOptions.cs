using Headroom.Gateway.LiveZone;
using Microsoft.Extensions.Logging;

namespace Headroom.Client;

/// <summary>
/// Settings of in-process Headroom (<see cref="HeadroomHandler"/>, <c>ChatClientBuilder.UseHeadroom</c>).
/// The same meaning as the gateway's <c>Headroom</c> configuration section where the names agree.
/// </summary>
public sealed record HeadroomClientOptions
{
    /// <summary>
    /// Where the embedded store (originals, replay decisions) and the tenant salt live. Every handler and
    /// chat client of a process that names the same directory shares one store; the first one's options win.
    /// </summary>
    public string DataDirectory { get; init; } = "~/.headroom";

    /// <summary>The live zone's settings (minimum size, excluded tools, time budget, text scorer, ...).</summary>
    public CompressionOptions Compression { get; init; } = new();

    /// <summary>How long originals of compressed outputs stay retrievable.</summary>
    public int RetentionDays { get; init; } = 7;

    /// <summary>Salt for tenant ids (hashes of API keys); by default generated once into <see cref="DataDirectory"/>.</summary>
    public string? TenantSalt { get; init; }

    /// <summary>Where Headroom logs (compression failures, retrieve calls served); none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
