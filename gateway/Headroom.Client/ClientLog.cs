using Microsoft.Extensions.Logging;

namespace Headroom.Client;

internal static partial class ClientLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning,
        Message = "Headroom could not compress the request to {Uri} ({Failure}); it was sent as the caller built it.")]
    public static partial void LiveZoneFailed(ILogger logger, Uri? uri, string failure, Exception exception);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information,
        Message = "Headroom served headroom_retrieve for {Hash} in process (found: {Found}).")]
    public static partial void RetrieveServed(ILogger logger, string hash, bool found);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information,
        Message = "The model called headroom_retrieve for {Count} original(s) in round {Round}; continuing upstream.")]
    public static partial void Continuing(ILogger logger, int count, int round);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information,
        Message = "The model called headroom_retrieve together with the caller's own tools; the retrieve call was removed and the caller's calls returned.")]
    public static partial void MixedCalls(ILogger logger);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning,
        Message = "Continuation round {Round} after a headroom_retrieve call failed upstream with status {Status}; the caller gets that response.")]
    public static partial void ContinuationFailed(ILogger logger, int round, int status);
}
