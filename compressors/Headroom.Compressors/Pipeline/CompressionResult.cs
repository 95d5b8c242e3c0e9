using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Pipeline;

/// <summary>
/// What the pipeline returns for one block of tool output. When <see cref="Reason"/> is set, the
/// original was returned unchanged (<see cref="Output"/> is the input; one Kept span).
/// Offsets in <see cref="Spans"/> are UTF-8 byte offsets into the original and the output.
/// </summary>
public sealed record CompressionResult
{
    public required string Output { get; init; }

    /// <summary>Detected (or forced) content type.</summary>
    public required ContentType Type { get; init; }

    public double Confidence { get; init; }

    /// <summary>Language for code, when known.</summary>
    public string? Language { get; init; }

    /// <summary>Compressor name ("json", "log", ...) or "none" when no compressor ran.</summary>
    public required string Compressor { get; init; }

    public int CompressorVersion { get; init; }

    public required int TokensBefore { get; init; }

    public required int TokensAfter { get; init; }

    /// <summary>First 24 hex of SHA-256 of the original UTF-8 bytes.</summary>
    public required string Hash { get; init; }

    public required IReadOnlyList<ByteSpan> Spans { get; init; }

    /// <summary>True when the output carries a retrieval marker (something was left out).</summary>
    public bool Lossy { get; init; }

    /// <summary>The scorer that decided (see <see cref="CompressorOutput.Scorer"/>); null when none ran.</summary>
    public string? Scorer { get; init; }

    /// <summary>Why the configured scorer fell back to another (recorded so a replay shows the same decision).</summary>
    public string? ScorerFallback { get; init; }

    /// <summary>Why the original was returned (too small, error output, saved too little,
    /// time budget, compressor error); null when the output is compressed.</summary>
    public string? Reason { get; init; }

    /// <summary>Wall time of the compressor call (telemetry only; not part of the output).</summary>
    public TimeSpan Elapsed { get; init; }

    public bool Compressed => Reason is null;

    public int TokensSaved => TokensBefore - TokensAfter;
}
