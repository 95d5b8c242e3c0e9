namespace Headroom.Gateway.Caching;

/// <summary>The <c>Headroom:Caching</c> configuration section: what the cache stabilizer may do.</summary>
public sealed record CachingOptions
{
    public const string Section = "Headroom:Caching";

    /// <summary>
    /// Place Anthropic <c>cache_control</c> breakpoints when the client placed none (a client that
    /// places any is left alone). Turn off with <c>HEADROOM__CACHING__BREAKPOINTS=false</c>.
    /// </summary>
    public bool Breakpoints { get; init; } = true;

    /// <summary>Choose 5 min or 1 h per session from its observed gaps (else always 5 min).</summary>
    public bool AutoTtl { get; init; } = true;

    /// <summary>Gaps a session must show before the 1 h TTL can be chosen.</summary>
    public int MinGapSamples { get; init; } = 3;

    /// <summary>Inject an OpenAI <c>prompt_cache_key</c> (stable hash of model, system and tools) when the client sent none.</summary>
    public bool PromptCacheKey { get; init; } = true;

    /// <summary>
    /// Ask OpenAI Chat for <c>stream_options.include_usage</c> when streaming, so streamed calls are accounted
    /// (the extra chunk is stripped if the client did not ask).
    /// </summary>
    public bool IncludeUsage { get; init; } = true;

    /// <summary>Compare each request's prefix with the session's previous one (verdicts, causes).</summary>
    public bool Forensics { get; init; } = true;

    /// <summary>
    /// Off by default. Moves system-prompt lines holding volatile values (dates, ids) to the end of the
    /// system prompt so the rest stays cacheable. Risk: the model reads the prompt in a different order,
    /// which can change its behaviour; only string system prompts are rewritten.
    /// </summary>
    public bool MoveVolatileToEnd { get; init; }

    /// <summary>How long OpenAI keeps a prefix warm (not documented exactly: 5–10 min idle, up to 1 h).</summary>
    public int OpenAITtlSeconds { get; init; } = 300;

    /// <summary>
    /// How long Gemini's implicit cache is assumed to keep a prefix, for the verdicts (Google documents
    /// no figure: "requests with a similar prefix in a short amount of time" hit it).
    /// </summary>
    public int GeminiTtlSeconds { get; init; } = 300;

    /// <summary>Sessions whose cache history is kept in memory (least recently seen are dropped).</summary>
    public int MaxSessions { get; init; } = 1024;
}
