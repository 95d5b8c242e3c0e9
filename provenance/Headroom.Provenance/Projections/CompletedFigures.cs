using Headroom.Provenance.Events;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The part of a <see cref="RequestCompleted"/> event the telemetry summary folds. Read straight from the
/// stored JSON (System.Text.Json skips the rest), so the summary does not materialise every block's strings.
/// Plain settable properties on purpose: System.Text.Json fills them in place, where init-only and required
/// members (and positional records) go through its constructor-argument path, which buffers every
/// argument and took about twice the time per event.
/// </summary>
internal sealed class CompletedFigures
{
    public string RequestId { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public int Status { get; set; }
    public UsageFigures Usage { get; set; } = new();
    public double TotalMs { get; set; }
    public List<BlockTokens> Blocks { get; set; } = [];

    public static CompletedFigures From(RequestCompleted c)
    {
        var blocks = new List<BlockTokens>(c.Blocks.Count);
        foreach (var block in c.Blocks)
        {
            blocks.Add(new BlockTokens { TokensBefore = block.TokensBefore, TokensAfter = block.TokensAfter });
        }

        var usage = new UsageFigures
        {
            InputTokens = c.Usage.InputTokens,
            OutputTokens = c.Usage.OutputTokens,
            CacheReadTokens = c.Usage.CacheReadTokens,
            CacheWrite5mTokens = c.Usage.CacheWrite5mTokens,
            CacheWrite1hTokens = c.Usage.CacheWrite1hTokens,
        };
        return new CompletedFigures { RequestId = c.RequestId, Timestamp = c.Timestamp, Provider = c.Provider, Model = c.Model, Status = c.Status, Usage = usage, TotalMs = c.TotalMs, Blocks = blocks };
    }
}

/// <summary>A block's token figures, before and after compression.</summary>
internal struct BlockTokens
{
    public int TokensBefore { get; set; }
    public int TokensAfter { get; set; }
}

/// <summary>The <see cref="TokenUsage"/> figures the summary adds up.</summary>
internal sealed class UsageFigures
{
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CacheReadTokens { get; set; }
    public long CacheWrite5mTokens { get; set; }
    public long CacheWrite1hTokens { get; set; }
}
