namespace Headroom.Compressors.Tokens;

/// <summary>Whose tokenizer a count is meant to approximate.</summary>
public enum TokenProvider
{
    OpenAI,
    Anthropic,
}
