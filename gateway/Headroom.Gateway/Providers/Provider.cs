namespace Headroom.Gateway.Providers;

public enum Provider : byte
{
    Anthropic,
    OpenAI,
}
