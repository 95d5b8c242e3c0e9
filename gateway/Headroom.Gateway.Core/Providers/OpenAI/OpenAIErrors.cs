using System.Text.Json;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>OpenAI's error shape (Chat and Responses): <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAIErrors
{
    public static void Write(Utf8JsonWriter w, int status, string message)
    {
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", status is >= 400 and < 500 ? "invalid_request_error" : "server_error");
        w.WriteNull("param");
        w.WriteString("code", Code(status));
        w.WriteEndObject();
    }

    private static string Code(int status) => status switch
    {
        413 => "request_too_large",
        502 => "upstream_unavailable",
        504 => "upstream_timeout",
        _ => "gateway_error",
    };
}
