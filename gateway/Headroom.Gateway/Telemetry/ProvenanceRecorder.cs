using Headroom.Compressors.Spans;
using Headroom.Gateway.LiveZone;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using ProvenanceBlock = Headroom.Provenance.Events.ContextBlock;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Turns each finished request into one <see cref="RequestCompleted"/> event for the non-blocking writer
/// (the request never waits on the store): what the request said, the forwarded blocks, the upstream's
/// answer and, from <see cref="RequestAccountant"/>, the money and cache verdict. Retrievals are recorded
/// apart, as they are served.
/// </summary>
internal sealed class ProvenanceRecorder
{
    private readonly ProvenanceStore _store;

    public ProvenanceRecorder(ProvenanceStore store) => _store = store;

    /// <summary>Records <paramref name="record"/> without an account (no telemetry feed line).</summary>
    public void Record(RequestRecord record) => Record(record, null);

    /// <summary>Records <paramref name="record"/> with its account (null: not a billed model call).</summary>
    public void Record(RequestRecord record, RequestAccounting? accounting)
    {
        if (record.Api == Providers.ApiKind.Other)
        {
            return; // model listings, files, ...: nothing to trace
        }

        var usage = record.Usage;
        _store.Writer.Record(new RequestCompleted
        {
            RequestId = record.RequestId,
            Timestamp = record.StartedAt,
            SessionId = record.SessionId,
            Provider = Providers.ProviderNames.GenAi(record.Provider),
            Model = record.RequestModel ?? record.Model,
            Route = record.Path,
            Tenant = record.Tenant,
            Stream = record.Streamed,
            Client = record.Client,
            Blocks = record.Live is { Shape: { } shape } live ? Blocks(shape, live) : [],
            Status = record.Status,
            ResponseModel = record.Model,
            Usage = usage is null ? Provenance.Events.TokenUsage.Empty : new Provenance.Events.TokenUsage
            {
                InputTokens = usage.InputTokens,
                OutputTokens = usage.OutputTokens,
                CacheReadTokens = usage.CacheReadTokens,
                CacheWrite5mTokens = usage.CacheWrite5mTokens,
                CacheWrite1hTokens = usage.CacheWrite1hTokens,
            },
            TtfbMs = record.TtfbMs,
            TotalMs = record.TotalMs,
            OverheadMs = record.OverheadMs,
            // Failure texts can quote what the upstream or a planner saw; scrubbed like recorded commands.
            Error = CredentialScrubber.Scrub(record.Error),
            FailOpen = CredentialScrubber.Scrub(record.LiveZoneError),
            Accounting = accounting,
        });
    }

    /// <summary>
    /// One entry per message block. Token figures are exact for tool outputs the gateway processed
    /// (the pipeline counted them) and estimated at 4 bytes per token for the rest, which the gateway
    /// forwards as sent without tokenising them on the request path.
    /// </summary>
    private static ProvenanceBlock[] Blocks(RequestShape shape, LiveResult live)
    {
        var outcomes = live.Outcomes;
        var blocks = new ProvenanceBlock[shape.Blocks.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            var b = shape.Blocks[i];
            var estimate = Math.Max(1, b.Length / 4);
            var isPath = LooksLikePath(b.CommandOrPath);
            var o = outcomes.Count == 0 ? null : OutcomeOf(outcomes, b);
            blocks[i] = new ProvenanceBlock
            {
                Kind = KindName(b.Kind),
                Role = b.Role,
                Message = b.Message,
                Block = b.Block,
                Tool = b.ToolName,
                ToolUseId = b.ToolUseId,
                Path = isPath ? b.CommandOrPath : null,
                Command = isPath ? null : CredentialScrubber.Scrub(b.CommandOrPath),
                TokensBefore = o is { TokensBefore: > 0 } ? o.TokensBefore : estimate,
                TokensAfter = o is null ? estimate : o.Compressed ? o.TokensAfter : o.TokensBefore > 0 ? o.TokensBefore : estimate,
                Compressor = o?.Compressor,
                Scorer = o is { Replayed: false } ? o.Scorer : null,
                ScorerFallback = o is { Replayed: false } ? o.ScorerFallback : null,
                Hash = o?.Hash,
                Spans = o is { Compressed: true } ? SpansOf(o.Spans) : null,
                // The forwarded text is stored once, by the request that first sent it; a replay refers
                // to it by Hash (stored again on every turn it would grow O(n²) per session).
                Output = o is { Compressed: true, Replayed: false, Block.IsString: true, ForwardedToken: { } token } ? JsonRanges.DecodeString(token, (0, token.Length)) : null,
            };
        }

        return blocks;
    }

    /// <summary>The live zone's outcome for <paramref name="block"/> (the last one, as a map keyed by position would keep); a request has few.</summary>
    private static BlockOutcome? OutcomeOf(IReadOnlyList<BlockOutcome> outcomes, LiveZone.ContextBlock block)
    {
        for (var i = outcomes.Count - 1; i >= 0; i--)
        {
            var at = outcomes[i].Block;
            if (at.Message == block.Message && at.Block == block.Block && at.Part == block.Part)
            {
                return outcomes[i];
            }
        }

        return null;
    }

    private static int[][] SpansOf(IReadOnlyList<ByteSpan> spans)
    {
        var result = new int[spans.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            var s = spans[i];
            result[i] = [s.OutStart, s.OutEnd, s.SrcStart, s.SrcEnd];
        }

        return result;
    }

    private static string KindName(BlockKind kind) => kind switch
    {
        BlockKind.System => "system",
        BlockKind.ToolDefinition => "tool_definition",
        BlockKind.Text => "text",
        BlockKind.Thinking => "thinking",
        BlockKind.ToolCall => "tool_call",
        BlockKind.ToolOutput => "tool_output",
        BlockKind.Image => "image",
        _ => "other",
    };

    private static bool LooksLikePath(string? value) =>
        value is { Length: > 0 } v && !v.Contains(' ', StringComparison.Ordinal) && (v.StartsWith('/') || v.StartsWith("./", StringComparison.Ordinal) || v.Contains('.', StringComparison.Ordinal) && v.Contains('/', StringComparison.Ordinal));
}
