namespace Headroom.Gateway.LiveZone;

internal sealed record ReplayMeta(string? Compressor, string? Hash, int TokensBefore, int TokensAfter, bool Lossy);
