namespace Headroom.Gateway.Providers;

public readonly record struct ProviderRoute(Provider Provider, ApiKind Api)
{
    /// <summary>
    /// Whether the live zone has a walker for this API, so the body is read whole and may be worked on.
    /// Every other route (Gemini included, for now) is streamed to the upstream untouched.
    /// </summary>
    public bool Walkable => Api is ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens or ApiKind.OpenAIChat or ApiKind.OpenAIResponses;
}
