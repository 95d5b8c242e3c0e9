namespace Headroom.Gateway.Providers;

public readonly record struct ProviderRoute(Provider Provider, ApiKind Api);
