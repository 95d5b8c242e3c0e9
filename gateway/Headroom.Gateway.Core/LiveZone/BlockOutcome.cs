using Headroom.Compressors.Spans;

namespace Headroom.Gateway.LiveZone;

/// <summary>What happened to one tool output: compressed now, replayed from an earlier turn, or left as sent.</summary>
public sealed record BlockOutcome
{
    public required ContextBlock Block { get; init; }

    /// <summary>Compressor name, or null when the block was forwarded as sent.</summary>
    public string? Compressor { get; init; }

    /// <summary>The prose scorer that decided, and why a model fell back to BM25 (fresh decisions only).</summary>
    public string? Scorer { get; init; }

    public string? ScorerFallback { get; init; }

    /// <summary>24-hex hash of the original text (retrievable) when compressed.</summary>
    public string? Hash { get; init; }

    public int TokensBefore { get; init; }
    public int TokensAfter { get; init; }

    /// <summary>UTF-8 byte spans of the forwarded text against the original text.</summary>
    public IReadOnlyList<ByteSpan> Spans { get; init; } = [];

    /// <summary>The JSON string token forwarded for the block (compressed output), when changed.</summary>
    public byte[]? ForwardedToken { get; init; }

    /// <summary>True when the bytes came from the replay cache (an earlier turn decided them).</summary>
    public bool Replayed { get; init; }

    /// <summary>Why the block was forwarded as sent (too short, excluded tool, saved too little, ...).</summary>
    public string? Reason { get; init; }

    public bool Compressed => Compressor is not null;
}
