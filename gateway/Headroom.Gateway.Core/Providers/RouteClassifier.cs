using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Providers;

/// <summary>
/// Decides which provider a request is for. The rule, in order:
/// 1. paths only one provider has: <c>/v1beta/*</c> (and <c>/v1/models/{model}:generateContent</c> and the
///    other <c>:method</c> calls) are Gemini; <c>/v1/messages*</c> and <c>/v1/complete</c> are Anthropic;
///    <c>/v1/chat/completions</c>, <c>/v1/responses*</c>, <c>/v1/completions</c>, <c>/v1/embeddings</c> and
///    the other OpenAI-only paths are OpenAI;
/// 2. otherwise (e.g. <c>/v1/models</c>, <c>/v1/files</c>) the headers: <c>anthropic-version</c> or
///    <c>x-api-key</c> → Anthropic; anything else (typically <c>Authorization: Bearer</c>) → OpenAI.
/// </summary>
public static class RouteClassifier
{
    public static ProviderRoute Classify(string path, IRequestHeaders headers)
    {
        var p = path;

        // 1. Paths that belong to one provider.
        if (StartsWithSegment(p, "/v1beta") || StartsWithSegment(p, "/upload/v1beta"))
        {
            return new(Provider.Gemini, GeminiMethod(p));
        }

        if (StartsWithSegment(p, "/v1/models") && GeminiMethod(p) != ApiKind.Other)
        {
            return new(Provider.Gemini, GeminiMethod(p));
        }

        if (StartsWithSegment(p, "/v1/messages"))
        {
            return p.Equals("/v1/messages", StringComparison.OrdinalIgnoreCase)
                ? new(Provider.Anthropic, ApiKind.AnthropicMessages)
                : p.Equals("/v1/messages/count_tokens", StringComparison.OrdinalIgnoreCase)
                    ? new(Provider.Anthropic, ApiKind.AnthropicCountTokens)
                    : new(Provider.Anthropic, ApiKind.Other);
        }

        if (StartsWithSegment(p, "/v1/complete"))
        {
            return new(Provider.Anthropic, ApiKind.Other);
        }

        if (p.Equals("/v1/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            return new(Provider.OpenAI, ApiKind.OpenAIChat);
        }

        if (p.Equals("/v1/responses", StringComparison.OrdinalIgnoreCase))
        {
            return new(Provider.OpenAI, ApiKind.OpenAIResponses);
        }

        if (StartsWithSegment(p, "/v1/responses") || StartsWithSegment(p, "/v1/chat") || StartsWithSegment(p, "/v1/completions")
            || StartsWithSegment(p, "/v1/embeddings") || StartsWithSegment(p, "/v1/audio") || StartsWithSegment(p, "/v1/images")
            || StartsWithSegment(p, "/v1/moderations") || StartsWithSegment(p, "/v1/assistants") || StartsWithSegment(p, "/v1/threads")
            || StartsWithSegment(p, "/v1/vector_stores") || StartsWithSegment(p, "/v1/realtime") || StartsWithSegment(p, "/v1/fine_tuning")
            || StartsWithSegment(p, "/v1/uploads") || StartsWithSegment(p, "/v1/conversations"))
        {
            return new(Provider.OpenAI, ApiKind.Other);
        }

        // 2. Shared paths: the headers say whose client this is.
        return headers.Contains("anthropic-version") || headers.Contains("x-api-key")
            ? new(Provider.Anthropic, ApiKind.Other)
            : new(Provider.OpenAI, ApiKind.Other);
    }

    /// <summary>The model a Gemini call names in its path (<c>/v1beta/models/{model}:{method}</c>); Gemini bodies carry none.</summary>
    public static string? GeminiModel(string path)
    {
        var slash = path.LastIndexOf('/');
        var colon = path.LastIndexOf(':');
        return GeminiMethod(path) == ApiKind.Other ? null : path[(slash + 1)..colon];
    }

    /// <summary>The custom method of <c>.../models/{model}:{method}</c> (also <c>tunedModels/</c>), when it is one the gateway reads.</summary>
    private static ApiKind GeminiMethod(string path)
    {
        var slash = path.LastIndexOf('/');
        var colon = path.LastIndexOf(':');
        if (colon <= slash || slash < 0 || !path.AsSpan(0, slash).EndsWith("models", StringComparison.OrdinalIgnoreCase))
        {
            return ApiKind.Other;
        }

        var method = path.AsSpan(colon + 1);
        return method.Equals("generateContent", StringComparison.OrdinalIgnoreCase) ? ApiKind.GeminiGenerate
            : method.Equals("streamGenerateContent", StringComparison.OrdinalIgnoreCase) ? ApiKind.GeminiStream
            : method.Equals("countTokens", StringComparison.OrdinalIgnoreCase) ? ApiKind.GeminiCountTokens
            : ApiKind.Other;
    }

    private static bool StartsWithSegment(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
