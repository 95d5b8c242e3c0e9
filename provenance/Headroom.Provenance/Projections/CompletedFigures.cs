using System.Text.Json;
using Headroom.Provenance.Events;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The part of a <see cref="RequestCompleted"/> event the telemetry summary folds, read straight from the
/// stored JSON by <see cref="Read"/> (the rest is skipped), so the summary does not materialise every
/// block's strings. System.Text.Json reads the same type in the tests, which hold <see cref="Read"/> to it.
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

    /// <summary>
    /// The figures of a stored request_completed event: its JSON as <see cref="ProvenanceJsonContext"/> writes it
    /// (camelCase names, nulls left out), read with one reader pass. The async projection reads every request
    /// once: System.Text.Json's converters took ~5 µs per event, mostly stepping through block properties the
    /// summary does not use.
    /// </summary>
    public static CompletedFigures Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A request_completed event is a JSON object.");
        }

        string? requestId = null, provider = null, model = null;
        DateTimeOffset timestamp = default;
        var status = 0;
        var totalMs = 0.0;
        var usage = TokenUsage.Empty;
        var blocks = new List<BlockTokens>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("requestId"u8)) { reader.Read(); requestId = reader.GetString(); }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); timestamp = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("provider"u8)) { reader.Read(); provider = reader.GetString(); }
            else if (reader.ValueTextEquals("model"u8)) { reader.Read(); model = reader.GetString(); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); status = reader.GetInt32(); }
            else if (reader.ValueTextEquals("totalMs"u8)) { reader.Read(); totalMs = reader.GetDouble(); }
            else if (reader.ValueTextEquals("usage"u8)) { reader.Read(); usage = ReadUsage(ref reader); }
            else if (reader.ValueTextEquals("blocks"u8)) { reader.Read(); ReadBlocks(ref reader, blocks); }
            else { reader.Read(); reader.Skip(); }
        }

        return new CompletedFigures
        {
            RequestId = requestId ?? throw new JsonException("A request_completed event names its requestId."),
            Timestamp = timestamp, Provider = provider, Model = model, Status = status, Usage = usage, TotalMs = totalMs, Blocks = blocks,
        };
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return TokenUsage.Empty;
        }

        long input = 0, output = 0, cacheRead = 0, write5m = 0, write1h = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputTokens"u8)) { reader.Read(); input = reader.GetInt64(); }
            else if (reader.ValueTextEquals("outputTokens"u8)) { reader.Read(); output = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheReadTokens"u8)) { reader.Read(); cacheRead = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheWrite5mTokens"u8)) { reader.Read(); write5m = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheWrite1hTokens"u8)) { reader.Read(); write1h = reader.GetInt64(); }
            else { reader.Read(); reader.Skip(); }
        }

        return new TokenUsage { InputTokens = input, OutputTokens = output, CacheReadTokens = cacheRead, CacheWrite5mTokens = write5m, CacheWrite1hTokens = write1h };
    }

    private static void ReadBlocks(ref Utf8JsonReader reader, List<BlockTokens> blocks)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int before = 0, after = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("tokensBefore"u8)) { reader.Read(); before = reader.GetInt32(); }
                else if (reader.ValueTextEquals("tokensAfter"u8)) { reader.Read(); after = reader.GetInt32(); }
                else { reader.Read(); reader.Skip(); }
            }

            blocks.Add(new BlockTokens(before, after));
        }
    }

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
