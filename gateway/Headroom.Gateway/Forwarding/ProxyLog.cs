using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Headroom.Gateway.Forwarding;

internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Request {RequestId} to {Upstream}{Path} failed before the response started ({Error}): {Reason}. The client got {Status}; check that the upstream is reachable (Headroom:Upstreams).")]
    public static partial void ForwardFailed(ILogger logger, string requestId, string upstream, string path, ForwarderError error, int status, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Request {RequestId}: upstream stream failed after the response started ({Failure}); the client got an error event.")]
    public static partial void StreamFailed(ILogger logger, string requestId, string failure);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "Request {RequestId} rejected: body of {Bytes} bytes exceeds Headroom:MaxBodyBytes ({Limit}).")]
    public static partial void BodyTooLarge(ILogger logger, string requestId, long bytes, long limit);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug,
        Message = "Request {RequestId} {Method} {Path} → {Status} in {TotalMs:F1} ms (gateway {OverheadMs:F2} ms)")]
    public static partial void Completed(ILogger logger, string requestId, string method, string path, int status, double totalMs, double overheadMs);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning,
        Message = "Request {RequestId}: live-zone compression failed; the original body was forwarded. Check the store (Headroom:Store) if this repeats.")]
    public static partial void LiveZoneFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "Request {RequestId}: a request planner failed ({Failure}); its additions were dropped and the rest of the live zone (compression, replay, retrieve tool) was forwarded. Report this with the request's provenance.")]
    public static partial void PlannerFailed(ILogger logger, string requestId, string failure);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug,
        Message = "Request {RequestId}: client went away before the response ended.")]
    public static partial void ClientAborted(ILogger logger, string requestId);
}
