using Headroom.Compressors.Spans;

namespace Headroom.Provenance.Events;

/// <summary>
/// One block of one message of the forwarded context and where it came from. <see cref="Spans"/> maps
/// output ranges to source ranges: [[outStart, outEnd, srcStart, srcEnd], ...].
/// </summary>
public sealed record ContextBlock
{
    /// <summary>"tool_result", "text", "image", "function_call_output", ...</summary>
    public required string Kind { get; init; }

    public string? Role { get; init; }

    public int Message { get; init; }

    public int Block { get; init; }

    public string? Tool { get; init; }

    public string? ToolUseId { get; init; }

    public string? Path { get; init; }

    public string? Command { get; init; }

    public int TokensBefore { get; init; }

    public int TokensAfter { get; init; }

    public string? Compressor { get; init; }

    /// <summary>The sentence scorer that decided a prose cut ("bm25", "minilm", "model:..."), on the request that decided it.</summary>
    public string? Scorer { get; init; }

    /// <summary>Why the configured model did not decide and BM25 did (over budget, busy, not loaded); null when it did.</summary>
    public string? ScorerFallback { get; init; }

    /// <summary>24-hex original hash when the block was compressed (retrievable through the originals store).</summary>
    public string? Hash { get; init; }

    public IReadOnlyList<int[]>? Spans { get; init; }

    /// <summary>
    /// The text forwarded for a block the gateway changed (the spans' output offsets are UTF-8 byte
    /// offsets into it). Served only with <c>?view=full</c>; blocks forwarded as sent have none.
    /// </summary>
    public string? Output { get; init; }

    /// <summary>Converts a compressor's span map to the recorded [[outStart, outEnd, srcStart, srcEnd], ...] form.</summary>
    public static IReadOnlyList<int[]> SpansFrom(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var result = new int[spans.Count][];
        for (var i = 0; i < spans.Count; i++)
        {
            result[i] = [spans[i].OutStart, spans[i].OutEnd, spans[i].SrcStart, spans[i].SrcEnd];
        }

        return result;
    }
}
