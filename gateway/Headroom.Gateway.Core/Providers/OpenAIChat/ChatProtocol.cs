using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers.OpenAI;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.OpenAIChat;

/// <summary>OpenAI Chat Completions: function tools, <c>tool_calls</c> on the assistant message, <c>tool</c> messages, <c>finish_reason</c>.</summary>
internal sealed class ChatProtocol : IWireProtocol
{
    public static ChatProtocol Instance { get; } = new();

    private static readonly byte[] Declaration = RetrieveTool.Declaration(
        "{\"type\":\"function\",\"function\":{\"name\":\"" + RetrieveTool.Name + "\",\"description\":\"" + RetrieveTool.Description + "\",\"parameters\":" + RetrieveTool.Schema + "}}");

    public Provider Provider => Provider.OpenAI;

    public IRequestGrammar Grammar => ChatRequestGrammar.Instance;

    public ReadOnlySpan<byte> RetrieveToolDeclaration => Declaration;

    public Splice DeclareRetrieveTool(ReadOnlySpan<byte> body, RequestShape shape) => RetrieveTool.AppendToTools(body, shape, Declaration);

    public bool InspectMember(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ResponseReading reading)
    {
        if (!r.ValueTextEquals("choices"u8))
        {
            return false;
        }

        r.Read();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.Skip();
            return true;
        }

        var first = true;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (!first || r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                continue;
            }

            first = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("message"u8))
                {
                    r.Read();
                    var m = JsonRanges.Value(ref r);
                    reading.Turn = m;
                    ToolCalls(json[m.Start..m.End], m.Start, reading.Items);
                }
                else if (r.ValueTextEquals("finish_reason"u8))
                {
                    r.Read();
                    reading.Stop = r.TokenType == JsonTokenType.String ? JsonRanges.StringToken(ref r) : null;
                }
                else
                {
                    r.Skip();
                }
            }
        }

        return true;
    }

    private static void ToolCalls(ReadOnlySpan<byte> message, int offset, List<TurnItem> items)
    {
        var r = new Utf8JsonReader(message);
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!r.ValueTextEquals("tool_calls"u8))
            {
                r.Skip();
                continue;
            }

            r.Read();
            if (r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                continue;
            }

            ResponseInspector.Items(ref r, message, items, offset);
        }
    }

    public void WriteContinuation(ContinuationWriter w, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        w.Raw(response[turn.Turn.Start..turn.Turn.End]);
        foreach (var a in answers)
        {
            w.Raw(",{\"role\":\"tool\",\"tool_call_id\":"u8);
            w.String(a.CallId);
            w.Raw(",\"content\":"u8);
            w.String(a.Text);
            w.Raw("}"u8);
        }
    }

    public byte[] UsageJson(TokenUsage total) => JsonObjectBytes.Write(w =>
    {
        var promptTotal = total.InputTokens + total.CacheReadTokens;
        w.WriteNumber("prompt_tokens", promptTotal);
        w.WriteNumber("completion_tokens", total.OutputTokens);
        w.WriteNumber("total_tokens", promptTotal + total.OutputTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", total.CacheReadTokens);
        w.WriteEndObject();
    });

    public ReadOnlySpan<byte> EndTurnReason => "\"stop\""u8;

    public IStreamRetrieval StreamRetrieval => OpenAIStreamRetrieval.Chat;
}
