using System.Text.Json;
using Headroom.Provenance.Events;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The part of a <see cref="RequestCompleted"/> event the telemetry summary folds, read straight from the
/// stored JSON by <see cref="Read"/> (the rest is skipped), so the summary does not materialise every
/// block's strings. Plain settable properties: System.Text.Json fills the same type in place (the tests hold
/// <see cref="Read"/> to what it reads).
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

    /// <summary>
    /// The figures of a stored request_completed event: its JSON as <see cref="ProvenanceJsonContext"/> writes it
    /// (camelCase names, nulls left out), read with one reader pass. The async projection reads every request
    /// once: System.Text.Json's converters took ~5 µs per event, mostly stepping through block properties the
    /// summary does not use.
    /// </summary>
    public static CompletedFigures Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var figures = new CompletedFigures();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A request_completed event is a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("requestId"u8)) { reader.Read(); figures.RequestId = reader.GetString() ?? ""; }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); figures.Timestamp = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("provider"u8)) { reader.Read(); figures.Provider = reader.GetString(); }
            else if (reader.ValueTextEquals("model"u8)) { reader.Read(); figures.Model = reader.GetString(); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); figures.Status = reader.GetInt32(); }
            else if (reader.ValueTextEquals("totalMs"u8)) { reader.Read(); figures.TotalMs = reader.GetDouble(); }
            else if (reader.ValueTextEquals("usage"u8)) { reader.Read(); ReadUsage(ref reader, figures.Usage); }
            else if (reader.ValueTextEquals("blocks"u8)) { reader.Read(); ReadBlocks(ref reader, figures.Blocks); }
            else { reader.Read(); reader.Skip(); }
        }

        return figures;
    }

    private static void ReadUsage(ref Utf8JsonReader reader, UsageFigures usage)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputTokens"u8)) { reader.Read(); usage.InputTokens = reader.GetInt64(); }
            else if (reader.ValueTextEquals("outputTokens"u8)) { reader.Read(); usage.OutputTokens = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheReadTokens"u8)) { reader.Read(); usage.CacheReadTokens = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheWrite5mTokens"u8)) { reader.Read(); usage.CacheWrite5mTokens = reader.GetInt64(); }
            else if (reader.ValueTextEquals("cacheWrite1hTokens"u8)) { reader.Read(); usage.CacheWrite1hTokens = reader.GetInt64(); }
            else { reader.Read(); reader.Skip(); }
        }
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
            var block = default(BlockTokens);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("tokensBefore"u8)) { reader.Read(); block.TokensBefore = reader.GetInt32(); }
                else if (reader.ValueTextEquals("tokensAfter"u8)) { reader.Read(); block.TokensAfter = reader.GetInt32(); }
                else { reader.Read(); reader.Skip(); }
            }

            blocks.Add(block);
        }
    }

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
