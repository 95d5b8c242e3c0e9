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

    /// <summary>Gateway-side failure (connect refused, timeout, reset), or an error event in the stream.</summary>
    public string? Error { get; init; }
}
