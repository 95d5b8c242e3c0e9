using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.LiveZone;

/// <summary>What the gateway says about the prose scorer at start.</summary>
internal static partial class ScorerLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Prose scorer {Active} (configured {Requested}), model loaded in {LoadMs:F0} ms")]
    public static partial void ScorerReady(ILogger logger, string active, string requested, double loadMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Prose scorer {Requested} is not available, BM25 decides instead: {Error}. Check Headroom:Compression:Text:Scorer and :Model (README \"Models\").")]
    public static partial void ScorerUnavailable(ILogger logger, string requested, string error);
}
