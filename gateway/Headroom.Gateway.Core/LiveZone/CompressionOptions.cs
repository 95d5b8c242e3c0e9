namespace Headroom.Gateway.LiveZone;

/// <summary>The <c>Headroom:Compression</c> section.</summary>
public sealed record CompressionOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Tool outputs shorter than this many characters are forwarded as they are.</summary>
    public int MinChars { get; init; } = 500;

    /// <summary>Per-call time budget of a compressor; past it the original is forwarded.</summary>
    public int TimeBudgetMs { get; init; } = 50;

    /// <summary>
    /// Tools whose outputs are never compressed. Claude Code's file tools are here by default:
    /// the agent edits by exact string match, so it must see the file as it is.
    /// </summary>
    public IReadOnlyList<string> ExcludeTools { get; init; } = ["Read", "NotebookRead"];

    /// <summary>
    /// When true, a tool output carrying the client's own <c>cache_control</c> breakpoint is never
    /// compressed, even in the newest turn (strict reading of invariant 2). Off by default: Claude
    /// Code puts its breakpoint on the newest tool result, which the provider has not cached yet;
    /// compressing it once and replaying the same bytes afterwards keeps every later prefix stable.
    /// </summary>
    public bool FreezeClientBreakpoints { get; init; }

    /// <summary>
    /// Memory for the in-process replay cache, in MiB per generation (two generations are kept; older
    /// decisions are read back from the store). Bounds the bytes, whatever the entries hold. 2 MiB holds
    /// about 1,500-3,000 replayed tool outputs across both generations; a miss is one read of the
    /// persisted cache (p50 ~13 µs on the embedded store, ~205 µs on PostgreSQL on loopback: bench
    /// `compression-cache-read`). Each MiB more costs about 3 MB of RSS, since a
    /// retired generation stays in gen2 until the next full collection (soak bench, README "Memory under many sessions").
    /// </summary>
    public int ReplayCacheMegabytes { get; init; } = 2;

    /// <summary>Outputs of a tool whose markers are retrieved more often than this share are compressed less.</summary>
    public double RetrievalRateThreshold { get; init; } = 0.20;

    /// <summary>The <c>Headroom:Compression:Text</c> section: which scorer ranks prose.</summary>
    public TextScorerOptions Text { get; init; } = new();
}
