namespace Headroom.Gateway.LiveZone;

/// <summary>
/// What was forwarded for a tool output the first time the gateway saw it: the exact JSON string
/// token (or nothing, meaning "as sent"), plus what provenance needs to describe it again.
/// </summary>
public sealed record ReplayEntry(byte[]? Token, string? Compressor, string? Hash, int TokensBefore, int TokensAfter, bool Lossy, IReadOnlyList<Headroom.Compressors.Spans.ByteSpan> Spans)
{
    public static ReplayEntry AsSent { get; } = new(null, null, null, 0, 0, false, []);
}
