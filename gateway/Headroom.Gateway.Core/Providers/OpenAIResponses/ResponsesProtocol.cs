using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers.OpenAI;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.OpenAIResponses;

/// <summary>OpenAI Responses: flat function tools, <c>function_call</c> / <c>function_call_output</c> items in <c>input</c> and <c>output</c>.</summary>
internal sealed class ResponsesProtocol : IWireProtocol
{
    public static ResponsesProtocol Instance { get; } = new();

    private static readonly byte[] Declaration = RetrieveTool.Declaration(
        "{\"type\":\"function\",\"name\":\"" + RetrieveTool.Name + "\",\"description\":\"" + RetrieveTool.Description + "\",\"parameters\":" + RetrieveTool.Schema + ",\"strict\":false}");

    public Provider Provider => Provider.OpenAI;

    public IRequestGrammar Grammar => ResponsesRequestGrammar.Instance;

    public ReadOnlySpan<byte> RetrieveToolDeclaration => Declaration;

    public Splice DeclareRetrieveTool(ReadOnlySpan<byte> body, RequestShape shape) => RetrieveTool.AppendToTools(body, shape, Declaration);

    public bool InspectMember(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ResponseReading reading)
    {
        if (!r.ValueTextEquals("output"u8))
        {
            return false;
        }

        r.Read();
        reading.Turn = ResponseInspector.Items(ref r, json, reading.Items);
        return true;
    }

    public void WriteContinuation(ContinuationWriter w, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        var first = true;
        foreach (var item in turn.Items)
        {
            if (!first)
            {
                w.Raw(","u8);
            }

            first = false;
            w.Raw(response[item.Start..item.End]);
        }

        foreach (var a in answers)
        {
            w.Raw(first ? "{\"type\":\"function_call_output\",\"call_id\":"u8 : ",{\"type\":\"function_call_output\",\"call_id\":"u8);
            first = false;
            w.String(a.CallId);
            w.Raw(",\"output\":"u8);
            w.String(a.Text);
            w.Raw("}"u8);
        }
    }

    public byte[] UsageJson(TokenUsage total) => JsonObjectBytes.Write(w =>
    {
        var promptTotal = total.InputTokens + total.CacheReadTokens;
        w.WriteNumber("input_tokens", promptTotal);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", total.CacheReadTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", total.OutputTokens);
        w.WriteNumber("total_tokens", promptTotal + total.OutputTokens);
    });

    public ReadOnlySpan<byte> EndTurnReason => "\"end_turn\""u8;

    public IStreamRetrieval StreamRetrieval => OpenAIStreamRetrieval.Responses;
}
