using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Telemetry;

/// <summary>What the gateway learned about one proxied request once its response ended.</summary>
public sealed record RequestRecord
{
    public required string RequestId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required Provider Provider { get; init; }
    public required ApiKind Api { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string? Model { get; init; }
    public string? ResponseId { get; init; }
    public bool Streamed { get; init; }
    public int Status { get; init; }

    /// <summary>Null when the upstream reported no usage (errors, non-model routes).</summary>
    public TokenUsage? Usage { get; init; }

    public long RequestBytes { get; init; }
    public long ResponseBytes { get; init; }

    /// <summary>From request arrival to the first response byte written to the client.</summary>
    public double TtfbMs { get; init; }
    public double TotalMs { get; init; }

    /// <summary>Time the gateway itself spent before handing the request to the upstream.</summary>
    public double OverheadMs { get; init; }

    public string? SessionId { get; init; }

    /// <summary>Salted hash of the caller's API key (never the key).</summary>
    public string? Tenant { get; init; }

    /// <summary>The model the client asked for (the response's model can be more specific).</summary>
    public string? RequestModel { get; init; }

    /// <summary>The client's user agent or app name, when it says.</summary>
    public string? Client { get; init; }

    /// <summary>Tokens the live zone removed from this request (before − after, over compressed tool outputs).</summary>
    public int TokensSaved { get; init; }

    /// <summary>headroom_retrieve calls the gateway answered inside this request.</summary>
    public int Retrievals { get; init; }

    /// <summary>Set when the live zone failed and the original was forwarded (fail open).</summary>
    public string? LiveZoneError { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Headroom.Gateway.LiveZone.LiveResult? Live { get; init; }

    /// <summary>Gateway-side failure (connect refused, timeout, reset), or an error event in the stream.</summary>
    public string? Error { get; init; }
}
