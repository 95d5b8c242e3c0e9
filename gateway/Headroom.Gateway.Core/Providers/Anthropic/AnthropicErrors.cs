using System.Text.Json;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>Anthropic's error shape: <c>{"type":"error","error":{"type":..,"message":..}}</c>; in a stream, an <c>error</c> event.</summary>
internal static class AnthropicErrors
{
    public static void Write(Utf8JsonWriter w, int status, string message)
    {
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", Type(status));
        w.WriteString("message", message);
        w.WriteEndObject();
    }

    public static string SseEvent(string json) => $"event: error\ndata: {json}\n\n";

    private static string Type(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    };
}
