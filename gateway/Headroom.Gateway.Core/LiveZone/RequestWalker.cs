using System.Text.Json;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Finds every context block of a model API request by byte range, with <see cref="Utf8JsonReader"/>:
/// nothing is deserialised into objects and nothing is re-serialised, so a splice can replace exactly
/// the bytes of a tool output and leave every other byte as the client sent it (invariant 1). The
/// grammar of each protocol lives in its folder under <c>Providers/</c>; the pass itself is
/// <see cref="RequestWalk"/>.
/// </summary>
public static class RequestWalker
{
    /// <summary>The request's shape, or null when the body is not a JSON object this API understands.</summary>
    public static RequestShape? Walk(ReadOnlySpan<byte> body, ApiKind api)
    {
        if (WireProtocols.For(api) is not { } protocol)
        {
            return null;
        }

        try
        {
            var walk = new RequestWalk(body);
            return walk.Root(protocol.Grammar) ? walk.Finish() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // a token of an unexpected type where a string was required
        }
    }
}
