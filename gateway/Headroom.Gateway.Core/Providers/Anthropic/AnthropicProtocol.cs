using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>Anthropic Messages: <c>tools[]</c> with <c>input_schema</c>, <c>tool_use</c> / <c>tool_result</c> blocks, <c>stop_reason</c>.</summary>
internal sealed class AnthropicProtocol : IWireProtocol
{
    public static AnthropicProtocol Instance { get; } = new();

    private static readonly byte[] Declaration = RetrieveTool.Declaration(
        "{\"name\":\"" + RetrieveTool.Name + "\",\"description\":\"" + RetrieveTool.Description + "\",\"input_schema\":" + RetrieveTool.Schema + "}");

    public Provider Provider => Provider.Anthropic;

    public IRequestGrammar Grammar => AnthropicRequestGrammar.Instance;

    public ReadOnlySpan<byte> RetrieveToolDeclaration => Declaration;

    public Splice DeclareRetrieveTool(ReadOnlySpan<byte> body, RequestShape shape) => RetrieveTool.AppendToTools(body, shape, Declaration);

    public bool InspectMember(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ResponseReading reading)
    {
        if (r.ValueTextEquals("content"u8))
        {
            r.Read();
            reading.Turn = ResponseInspector.Items(ref r, json, reading.Items);
            return true;
        }

        if (r.ValueTextEquals("stop_reason"u8))
        {
            r.Read();
            reading.Stop = r.TokenType == JsonTokenType.String ? JsonRanges.StringToken(ref r) : null;
            return true;
        }

        return false;
    }

    public void WriteContinuation(ContinuationWriter w, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        w.Raw("{\"role\":\"assistant\",\"content\":"u8);
        w.Raw(response[turn.Turn.Start..turn.Turn.End]);
        w.Raw("},{\"role\":\"user\",\"content\":["u8);
        for (var i = 0; i < answers.Count; i++)
        {
            w.Raw(i == 0 ? "{\"type\":\"tool_result\",\"tool_use_id\":"u8 : ",{\"type\":\"tool_result\",\"tool_use_id\":"u8);
            w.String(answers[i].CallId);
            w.Raw(",\"content\":"u8);
            w.String(answers[i].Text);
            w.Raw(answers[i].Found ? "}"u8 : ",\"is_error\":true}"u8);
        }

        w.Raw("]}"u8);
    }

    public byte[] UsageJson(TokenUsage total) => JsonObjectBytes.Write(w =>
    {
        w.WriteNumber("input_tokens", total.InputTokens);
        w.WriteNumber("cache_creation_input_tokens", total.CacheWriteTokens);
        w.WriteNumber("cache_read_input_tokens", total.CacheReadTokens);
        w.WriteStartObject("cache_creation");
        w.WriteNumber("ephemeral_5m_input_tokens", total.CacheWrite5mTokens);
        w.WriteNumber("ephemeral_1h_input_tokens", total.CacheWrite1hTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", total.OutputTokens);
    });

    public ReadOnlySpan<byte> EndTurnReason => "\"end_turn\""u8;

    public IStreamRetrieval StreamRetrieval => AnthropicStreamRetrieval.Instance;
}
