namespace Headroom.Gateway.Hosting;

/// <summary>Where each provider's traffic goes (<c>Headroom:Upstreams:*</c>).</summary>
public sealed record UpstreamOptions
{
    public string Anthropic { get; init; } = "https://api.anthropic.com";

    public string OpenAI { get; init; } = "https://api.openai.com";
}
