using System.Text;
using System.Text.Json;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Providers.Anthropic;
using Headroom.Gateway.Providers.Gemini;
using Headroom.Gateway.Providers.OpenAI;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Errors the gateway itself raises, in the shape the caller's SDK already understands (each shape in its
/// provider's folder):
/// Anthropic <c>{"type":"error","error":{"type":..,"message":..}}</c>, OpenAI <c>{"error":{"message","type","code"}}</c>,
/// Gemini <c>{"error":{"code":N,"message":..,"status":"UNAVAILABLE"}}</c> (google.rpc.Status, as the Google API clients parse it).
/// </summary>
public static class ProviderErrors
{
    public static byte[] Body(Provider provider, int status, string message)
    {
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (provider)
            {
                case Provider.Anthropic: AnthropicErrors.Write(w, status, message); break;
                case Provider.Gemini: GeminiErrors.Write(w, status, message); break;
                default: OpenAIErrors.Write(w, status, message); break;
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An SSE event carrying the same error, for streams that had already started.</summary>
    public static byte[] SseEvent(Provider provider, int status, string message)
    {
        var json = Encoding.UTF8.GetString(Body(provider, status, message));
        var text = provider == Provider.Anthropic ? AnthropicErrors.SseEvent(json) : $"data: {json}\n\n";
        return Encoding.UTF8.GetBytes(text);
    }
}
