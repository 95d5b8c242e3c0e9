using System.Text;
using System.Text.Json;
using Headroom.Gateway.Providers;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Errors the gateway itself raises, in the shape the caller's SDK already understands:
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
            if (provider == Provider.Anthropic)
            {
                w.WriteString("type", "error");
                w.WriteStartObject("error");
                w.WriteString("type", AnthropicType(status));
                w.WriteString("message", message);
                w.WriteEndObject();
            }
            else if (provider == Provider.Gemini)
            {
                w.WriteStartObject("error");
                w.WriteNumber("code", status);
                w.WriteString("message", message);
                w.WriteString("status", GeminiStatus(status));
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteString("message", message);
                w.WriteString("type", OpenAIType(status));
                w.WriteNull("param");
                w.WriteString("code", OpenAICode(status));
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An SSE event carrying the same error, for streams that had already started.</summary>
    public static byte[] SseEvent(Provider provider, int status, string message)
    {
        var json = Encoding.UTF8.GetString(Body(provider, status, message));
        var text = provider == Provider.Anthropic
            ? $"event: error\ndata: {json}\n\n"
            : $"data: {json}\n\n";
        return Encoding.UTF8.GetBytes(text);
    }

    public static async Task WriteAsync(HttpContext context, Provider provider, int status, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var body = Body(provider, status, message);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string AnthropicType(int status) => status switch
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

    /// <summary>The google.rpc.Code name Google's APIs pair with each HTTP status.</summary>
    private static string GeminiStatus(int status) => status switch
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

    private static string OpenAIType(int status) => status switch
    {
        >= 400 and < 500 => "invalid_request_error",
        _ => "server_error",
    };

    private static string OpenAICode(int status) => status switch
    {
        413 => "request_too_large",
        502 => "upstream_unavailable",
        504 => "upstream_timeout",
        _ => "gateway_error",
    };
}
