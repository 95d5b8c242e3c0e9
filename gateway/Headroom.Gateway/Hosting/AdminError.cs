namespace Headroom.Gateway.Hosting;

public sealed record AdminError(string Error);
