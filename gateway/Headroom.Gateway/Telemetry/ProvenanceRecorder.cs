using Headroom.Gateway.LiveZone;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using ProvenanceBlock = Headroom.Provenance.Events.ContextBlock;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Turns each finished request into provenance events (RequestReceived, ContextComposed,
/// UpstreamCompleted) for the non-blocking writer: the request never waits on the store.
/// </summary>
internal sealed class ProvenanceRecorder : IRequestRecordSink
{
    private readonly ProvenanceStore _store;

    public ProvenanceRecorder(ProvenanceStore store) => _store = store;

    public void Record(RequestRecord record)
    {
        if (record.Api == Providers.ApiKind.Other)
        {
            return; // model listings, files, ...: nothing to trace
        }

        var writer = _store.Writer;
        var at = record.StartedAt;
        writer.Record(new RequestReceived
        {
            RequestId = record.RequestId,
            Timestamp = at,
            SessionId = record.SessionId,
            Provider = Providers.ProviderNames.GenAi(record.Provider),
            Model = record.RequestModel ?? record.Model,
            Route = record.Path,
            Tenant = record.Tenant,
            Stream = record.Streamed,
            Client = record.Client,
        });

        if (record.Live is { Shape: { } shape } live)
        {
            writer.Record(new ContextComposed { RequestId = record.RequestId, Timestamp = at, Blocks = Blocks(shape, live) });
        }

        var usage = record.Usage ?? Telemetry.TokenUsage.Empty;
        writer.Record(new UpstreamCompleted
        {
            RequestId = record.RequestId,
            Timestamp = at.AddMilliseconds(record.TotalMs),
            Status = record.Status,
            ResponseModel = record.Model,
            Usage = new Provenance.Events.TokenUsage
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
        });
    }

    /// <summary>
    /// One entry per message block. Token figures are exact for tool outputs the gateway processed
    /// (the pipeline counted them) and estimated at 4 bytes per token for the rest, which the gateway
    /// forwards as sent without tokenising them on the request path.
    /// </summary>
    private static List<ProvenanceBlock> Blocks(RequestShape shape, LiveResult live)
    {
        var byBlock = new Dictionary<(int, int, int), BlockOutcome>();
        foreach (var outcome in live.Outcomes)
        {
            byBlock[(outcome.Block.Message, outcome.Block.Block, outcome.Block.Part)] = outcome;
        }

        var blocks = new List<ProvenanceBlock>(shape.Blocks.Count);
        foreach (var b in shape.Blocks)
        {
            var estimate = Math.Max(1, b.Length / 4);
            var entry = new ProvenanceBlock
            {
                Kind = KindName(b.Kind),
                Role = b.Role,
                Message = b.Message,
                Block = b.Block,
                Tool = b.ToolName,
                ToolUseId = b.ToolUseId,
                Path = LooksLikePath(b.CommandOrPath) ? b.CommandOrPath : null,
                Command = LooksLikePath(b.CommandOrPath) ? null : CredentialScrubber.Scrub(b.CommandOrPath),
                TokensBefore = estimate,
                TokensAfter = estimate,
            };
            if (byBlock.TryGetValue((b.Message, b.Block, b.Part), out var o))
            {
                entry = entry with
                {
                    TokensBefore = o.TokensBefore > 0 ? o.TokensBefore : estimate,
                    TokensAfter = o.Compressed ? o.TokensAfter : o.TokensBefore > 0 ? o.TokensBefore : estimate,
                    Compressor = o.Compressor,
                    Hash = o.Hash,
                    Spans = o.Compressed ? o.Spans.Select(s => new[] { s.OutStart, s.OutEnd, s.SrcStart, s.SrcEnd }).ToArray() : null,
                    // The forwarded text is stored once, by the request that first sent it; a replay refers
                    // to it by Hash (stored again on every turn it would grow O(n²) per session).
                    Output = o.Compressed && !o.Replayed && o.Block.IsString && o.ForwardedToken is { } token ? JsonRanges.DecodeString(token, (0, token.Length)) : null,
                };
            }

            blocks.Add(entry);
        }

        return blocks;
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
