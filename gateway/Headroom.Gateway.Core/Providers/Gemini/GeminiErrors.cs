using System.Text.Json;

namespace Headroom.Gateway.Providers.Gemini;

/// <summary>Gemini's error shape, google.rpc.Status as the Google API clients parse it: <c>{"error":{"code":N,"message":..,"status":"UNAVAILABLE"}}</c>.</summary>
internal static class GeminiErrors
{
    public static void Write(Utf8JsonWriter w, int status, string message)
    {
        w.WriteStartObject("error");
        w.WriteNumber("code", status);
        w.WriteString("message", message);
        w.WriteString("status", Status(status));
        w.WriteEndObject();
    }

    /// <summary>The google.rpc.Code name Google's APIs pair with each HTTP status.</summary>
    private static string Status(int status) => status switch
    {
        400 or 413 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
}
