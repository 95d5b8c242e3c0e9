using System.Diagnostics;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Forwarding;

/// <summary>Per-request state shared by the handler, the transformer, the tee and the upstream guard.</summary>
internal sealed class ProxyExchange
{
    public ProxyExchange(string requestId, ProviderRoute route, CancellationToken clientAborted)
    {
        RequestId = requestId;
        Route = route;
        ClientAborted = clientAborted;
        StartTimestamp = Stopwatch.GetTimestamp();
        StartedAt = DateTimeOffset.UtcNow;
    }

    public string RequestId { get; }
    public ProviderRoute Route { get; }
    public CancellationToken ClientAborted { get; }
    public long StartTimestamp { get; }
    public DateTimeOffset StartedAt { get; }
    public ResponseTap Tap { get; } = new();

    /// <summary>When the request left for the upstream (end of the gateway's own work).</summary>
    public long UpstreamSentTimestamp { get; set; }

    public long FirstByteTimestamp { get; set; }

    public string? Tenant { get; set; }

    /// <summary>headroom_retrieve calls the gateway served inside this request.</summary>
    public int Retrievals { get; set; }

    public Headroom.Gateway.LiveZone.LiveResult? Live { get; set; }

    /// <summary>Why the live zone forwarded the original (an exception it recovered from).</summary>
    public string? LiveZoneError { get; set; }

    /// <summary>Set by the upstream guard when the upstream failed after the stream had started.</summary>
    public string? StreamFailure { get; set; }

    public double MillisecondsSinceStart(long timestamp) =>
        timestamp == 0 ? 0 : Stopwatch.GetElapsedTime(StartTimestamp, timestamp).TotalMilliseconds;
}
