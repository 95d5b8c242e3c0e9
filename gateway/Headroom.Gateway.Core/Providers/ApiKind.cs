namespace Headroom.Gateway.Providers;

/// <summary>Which provider API a request speaks; decides how usage is read and where compression applies.</summary>
public enum ApiKind : byte
{
    /// <summary>Any other path: forwarded untouched.</summary>
    Other,
    AnthropicMessages,
    AnthropicCountTokens,
    OpenAIChat,
    OpenAIResponses,

    /// <summary>Gemini <c>models/{model}:generateContent</c>: usage is read, the body is forwarded untouched (no walker yet).</summary>
    GeminiGenerate,

    /// <summary>Gemini <c>models/{model}:streamGenerateContent</c> (SSE with <c>alt=sse</c>, a JSON array without).</summary>
    GeminiStream,

    /// <summary>Gemini <c>models/{model}:countTokens</c>: forwarded untouched, not billed.</summary>
    GeminiCountTokens,
}
