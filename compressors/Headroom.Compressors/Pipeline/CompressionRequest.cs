using Headroom.Compressors.Budget;

namespace Headroom.Compressors.Pipeline;

/// <summary>Everything a compressor may look at besides the text itself. Pure data.</summary>
public sealed record CompressionRequest
{
    public static CompressionRequest Empty { get; } = new();

    /// <summary>What the agent is currently after (the latest user message), used for relevance.</summary>
    public string? Query { get; init; }

    /// <summary>First 24 hex of SHA-256 of the original UTF-8 bytes; markers name it.</summary>
    public string OriginalHash { get; init; } = "";

    /// <summary>Language hint for code (e.g. "csharp", "python"), or null to detect.</summary>
    public string? Language { get; init; }

    /// <summary>0..1 multiplier on how much the compressor may keep; 1 = its default budget.
    /// Larger means keep more (used when outputs of a tool are often retrieved).</summary>
    public double KeepFactor { get; init; } = 1.0;

    /// <summary>The tool reported an error (Anthropic <c>is_error</c>); small error outputs stay verbatim.</summary>
    public bool IsError { get; init; }

    /// <summary>Signalled when the pipeline's time budget runs out; long-running compressors check it
    /// between lines or items and throw <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The pipeline's budget for this call (null outside a pipeline): what optional work (ranking lines by the
    /// query) may spend without pushing the call over it. <see cref="CancellationToken"/> is its token.</summary>
    internal ComputeBudget? Budget { get; init; }
}
