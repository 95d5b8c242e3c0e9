using Headroom.Provenance.Events;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The part of a <see cref="RequestCompleted"/> event the telemetry summary folds. Read straight from the
/// stored JSON (System.Text.Json skips the rest), so the summary does not materialise every block's strings.
/// </summary>
internal sealed record CompletedFigures
{
    public required string RequestId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public int Status { get; init; }
    public TokenUsage Usage { get; init; } = TokenUsage.Empty;
    public double TotalMs { get; init; }
    public IReadOnlyList<BlockTokens> Blocks { get; init; } = [];

    public static CompletedFigures From(RequestCompleted c)
    {
        var blocks = new BlockTokens[c.Blocks.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new BlockTokens(c.Blocks[i].TokensBefore, c.Blocks[i].TokensAfter);
        }

        return new CompletedFigures { RequestId = c.RequestId, Timestamp = c.Timestamp, Provider = c.Provider, Model = c.Model, Status = c.Status, Usage = c.Usage, TotalMs = c.TotalMs, Blocks = blocks };
    }
}

/// <summary>A block's token figures, before and after compression.</summary>
internal readonly record struct BlockTokens(int TokensBefore, int TokensAfter);
