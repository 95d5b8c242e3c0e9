using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Retrieval;

internal static partial class RetrievalLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Request {RequestId}: the model called headroom_retrieve for {Count} original(s) in round {Round}; continuing upstream.")]
    public static partial void Continuing(ILogger logger, string requestId, int count, int round);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information,
        Message = "Request {RequestId}: the model called headroom_retrieve together with the client's own tools; the retrieve call was removed and the client's calls returned.")]
    public static partial void MixedCalls(ILogger logger, string requestId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Request {RequestId}: continuation round {Round} failed upstream with status {Status}; the client gets an error.")]
    public static partial void ContinuationFailed(ILogger logger, string requestId, int round, int status);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "Request {RequestId}: the upstream response could not be relayed ({Failure}); the client got a provider-shaped error. Check the upstream if this repeats.")]
    public static partial void UpstreamFailed(ILogger logger, string requestId, string failure, Exception exception);
}
