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
}
