namespace Headroom.Gateway.Pricing;

/// <summary>
/// One model's prices in USD per million tokens. <see cref="Input"/> is uncached input; cache reads and the
/// two Anthropic cache-write TTLs are priced separately (OpenAI bills cache writes as plain input).
/// </summary>
public sealed record ModelPrice(
    string Id,
    string Provider,
    decimal Input,
    decimal Output,
    decimal CacheRead,
    decimal CacheWrite5m,
    decimal CacheWrite1h)
{
    /// <summary>Prices that apply instead when a request's prompt exceeds <see cref="LongContextAboveInputTokens"/>.</summary>
    public ModelPrice? LongContext { get; init; }

    public long? LongContextAboveInputTokens { get; init; }

    /// <summary>Other ids (snapshots, aliases) that resolve to this entry.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// Cost of one request. <paramref name="uncachedInput"/> excludes cache reads and writes (Anthropic's
    /// <c>input_tokens</c>; for OpenAI subtract <c>cached_tokens</c> from <c>prompt_tokens</c>).
    /// </summary>
    public decimal CostUsd(long uncachedInput, long output, long cacheRead = 0, long cacheWrite5m = 0, long cacheWrite1h = 0)
    {
        var prompt = uncachedInput + cacheRead + cacheWrite5m + cacheWrite1h;
        var p = LongContext is not null && LongContextAboveInputTokens is { } above && prompt > above ? LongContext : this;
        return ((uncachedInput * p.Input) + (output * p.Output) + (cacheRead * p.CacheRead) + (cacheWrite5m * p.CacheWrite5m) + (cacheWrite1h * p.CacheWrite1h)) / 1_000_000m;
    }
}
