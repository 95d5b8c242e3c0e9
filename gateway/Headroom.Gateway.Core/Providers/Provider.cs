namespace Headroom.Gateway.Providers;

public enum Provider : byte
{
    Anthropic,
    OpenAI,

    /// <summary>Google's Gemini API (<c>/v1beta/models/*</c>, <c>/v1beta/cachedContents*</c>).</summary>
    Gemini,
}
