namespace Headroom.Media.Images;

/// <summary>The provider whose image-token rules and content shapes apply.</summary>
public enum MediaProvider
{
    Anthropic,
    OpenAI,
}
