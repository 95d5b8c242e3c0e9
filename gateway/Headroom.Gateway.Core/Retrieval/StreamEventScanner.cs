using System.Text.Json;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// Reads one stream event's JSON with a <see cref="Utf8JsonReader"/>, no DOM: what the relay needs to
/// decide whether the event goes out untouched, with a number changed, or to the event-by-event logic
/// that handles our own tool call. The whole event is tokenized, so malformed JSON is told apart exactly
/// as a parse would tell it. Each protocol's scanner is in its folder under <c>Providers/</c>; this holds what they share.
/// </summary>
internal static class StreamEventScanner
{
    /// <summary>Our tool's name, as it appears in event bytes.</summary>
    internal static ReadOnlySpan<byte> Ours => "headroom_retrieve"u8;

    /// <summary>True for a string, false for null; any other JSON type is an error (as reading it as a string would be).</summary>
    internal static bool RequireString(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.String => true,
        JsonTokenType.Null => false,
        _ => throw new InvalidOperationException($"{what} is a JSON {r.TokenType}, not a string"),
    };
}
