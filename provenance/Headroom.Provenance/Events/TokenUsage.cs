namespace Headroom.Provenance.Events;

/// <summary>Token usage as the provider reported it, cache fields included.</summary>
public sealed record TokenUsage
{
    public static TokenUsage Empty { get; } = new();

    /// <summary>Uncached input tokens (Anthropic `input_tokens`; OpenAI prompt tokens minus cached).</summary>
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWrite5mTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }
}
