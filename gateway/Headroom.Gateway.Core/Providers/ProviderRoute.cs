namespace Headroom.Gateway.Providers;

public readonly record struct ProviderRoute(Provider Provider, ApiKind Api)
{
    /// <summary>
    /// Whether the live zone has a wire protocol for this API (<see cref="WireProtocols"/>), so the body is
    /// read whole and may be worked on. Every other route is streamed to the upstream untouched.
    /// </summary>
    public bool Walkable => WireProtocols.For(Api) is not null;
}
