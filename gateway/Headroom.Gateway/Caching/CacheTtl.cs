namespace Headroom.Gateway.Caching;

/// <summary>Anthropic's two cache lifetimes.</summary>
public enum CacheTtl : byte
{
    FiveMinutes,
    OneHour,
}
