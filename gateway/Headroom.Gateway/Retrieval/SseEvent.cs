namespace Headroom.Gateway.Retrieval;

/// <summary>One server-sent event: its bytes as received (blank line included) and its joined data.</summary>
internal sealed record SseEvent(byte[] Raw, byte[] Data, string? Name);
