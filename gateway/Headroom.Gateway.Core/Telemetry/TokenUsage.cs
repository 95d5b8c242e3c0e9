namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Token counts normalised across providers. <see cref="InputTokens"/> is the uncached input only
/// (Anthropic's <c>input_tokens</c>; OpenAI's prompt/input tokens minus <c>cached_tokens</c>), so
/// input + cache read + cache writes is everything the model read.
/// </summary>
public sealed record TokenUsage
{
    public static TokenUsage Empty { get; } = new();

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWrite5mTokens { get; init; }
    public long CacheWrite1hTokens { get; init; }

    public long CacheWriteTokens => CacheWrite5mTokens + CacheWrite1hTokens;

    /// <summary>Everything the model read, cached or not (the GenAI convention's input tokens).</summary>
    public long TotalInputTokens => InputTokens + CacheReadTokens + CacheWriteTokens;

    public TokenUsage Add(TokenUsage other) => new()
    {
        InputTokens = InputTokens + other.InputTokens,
        OutputTokens = OutputTokens + other.OutputTokens,
        CacheReadTokens = CacheReadTokens + other.CacheReadTokens,
        CacheWrite5mTokens = CacheWrite5mTokens + other.CacheWrite5mTokens,
        CacheWrite1hTokens = CacheWrite1hTokens + other.CacheWrite1hTokens,
    };
}
