namespace Headroom.Gateway.Providers;

/// <summary>The provider's name as the OpenTelemetry GenAI conventions spell <c>gen_ai.provider.name</c>.</summary>
public static class ProviderNames
{
    public static string GenAi(Provider provider) => provider switch
    {
        Provider.Anthropic => "anthropic",
        Provider.Gemini => "gcp.gemini",
        _ => "openai",
    };
}
