using System.Text;
using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.Gemini;

/// <summary>
/// Gemini <c>generateContent</c> and <c>streamGenerateContent</c>: <c>functionDeclarations</c>,
/// <c>functionCall</c> / <c>functionResponse</c> parts, <c>candidates[0].content</c> as the model's
/// turn, <c>usageMetadata</c>. Every SSE event is a whole GenerateContentResponse.
/// </summary>
internal sealed class GeminiProtocol : IWireProtocol
{
    public static GeminiProtocol Instance { get; } = new();

    // parametersJsonSchema takes JSON Schema as it is (what Gemini CLI itself declares with).
    private static readonly byte[] Declaration = RetrieveTool.Declaration(
        "{\"name\":\"" + RetrieveTool.Name + "\",\"description\":\"" + RetrieveTool.Description + "\",\"parametersJsonSchema\":" + RetrieveTool.Schema + "}");

    public Provider Provider => Provider.Gemini;

    public IRequestGrammar Grammar => GeminiRequestGrammar.Instance;

    public ReadOnlySpan<byte> RetrieveToolDeclaration => Declaration;

    /// <summary>
    /// After the last of the first <c>functionDeclarations</c>; a request whose tools hold none (only
    /// <c>googleSearch</c>, say) gets a Tool of its own after them; one without tools gets <c>tools</c>.
    /// </summary>
    public Splice DeclareRetrieveTool(ReadOnlySpan<byte> body, RequestShape shape)
    {
        if (shape.ToolDeclarations is { } declarations)
        {
            return RetrieveTool.AppendToArray(body, declarations, Declaration);
        }

        var tool = Encoding.UTF8.GetBytes("{\"functionDeclarations\":[" + Encoding.UTF8.GetString(Declaration) + "]}");
        if (shape.Tools is { } tools)
        {
            return RetrieveTool.AppendToArray(body, tools, tool);
        }

        return new Splice(shape.RootEnd, shape.RootEnd, Encoding.UTF8.GetBytes(",\"tools\":[" + Encoding.UTF8.GetString(tool) + "]"));
    }

    public bool InspectMember(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ResponseReading reading)
    {
        if (r.ValueTextEquals("usageMetadata"u8))
        {
            r.Read();
            reading.Usage = JsonRanges.Value(ref r);
            return true;
        }

        if (!r.ValueTextEquals("candidates"u8))
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
                if (r.ValueTextEquals("content"u8) && r.Read() && r.TokenType == JsonTokenType.StartObject)
                {
                    reading.Turn = Content(ref r, json, reading.Items);
                }
                else if (r.ValueTextEquals("finishReason"u8))
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

    /// <summary>A candidate's content object (the reader is on its start): its range, its parts as items.</summary>
    private static (int, int) Content(ref Utf8JsonReader r, ReadOnlySpan<byte> json, List<TurnItem> items)
    {
        var start = (int)r.TokenStartIndex;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!r.ValueTextEquals("parts"u8) || !r.Read() || r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                continue;
            }

            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var range = JsonRanges.Value(ref r);
                items.Add(DescribePart(json[range.Start..range.End], range));
            }
        }

        return (start, (int)r.TokenStartIndex + 1);
    }

    /// <summary>A part: whether it is a function call, and whether it is ours (with its id and hash).</summary>
    public static TurnItem DescribePart(ReadOnlySpan<byte> part, (int Start, int End) range)
    {
        var r = new Utf8JsonReader(part);
        string? name = null, id = null;
        (int Start, int End)? args = null;
        var isCall = false;
        if (r.Read() && r.TokenType == JsonTokenType.StartObject)
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (!(r.ValueTextEquals("functionCall"u8) || r.ValueTextEquals("function_call"u8)) || !r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    r.Skip();
                    continue;
                }

                isCall = true;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("name"u8)) { r.Read(); name = JsonRanges.StringOrNull(ref r); }
                    else if (r.ValueTextEquals("id"u8)) { r.Read(); id = JsonRanges.StringOrNull(ref r); }
                    else if (r.ValueTextEquals("args"u8)) { r.Read(); args = JsonRanges.Value(ref r); }
                    else { r.Skip(); }
                }
            }
        }

        var ours = isCall && name == RetrieveTool.Name;
        var hash = ours ? args is { } a ? ResponseInspector.HashFrom(part[a.Start..a.End]) : "" : null;
        return new TurnItem(range.Start, range.End, isCall, ours, id, hash);
    }

    public void WriteContinuation(ContinuationWriter w, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        // The model's content as it came (thought signatures included), then our answers as a user turn.
        w.Raw(response[turn.Turn.Start..turn.Turn.End]);
        w.Raw(",{\"role\":\"user\",\"parts\":["u8);
        for (var i = 0; i < answers.Count; i++)
        {
            w.Raw(i == 0 ? "{\"functionResponse\":{"u8 : ",{\"functionResponse\":{"u8);
            if (answers[i].CallId.Length > 0)
            {
                w.Raw("\"id\":"u8);
                w.String(answers[i].CallId);
                w.Raw(","u8);
            }

            w.Raw("\"name\":\""u8);
            w.Raw(Encoding.UTF8.GetBytes(RetrieveTool.Name));
            w.Raw(answers[i].Found ? "\",\"response\":{\"output\":"u8 : "\",\"response\":{\"error\":"u8);
            w.String(answers[i].Text);
            w.Raw("}}}"u8);
        }

        w.Raw("]}"u8);
    }

    public byte[] UsageJson(TokenUsage total) => JsonObjectBytes.Write(w =>
    {
        // promptTokenCount includes the cached part; candidates include the thoughts once summed.
        var prompt = total.InputTokens + total.CacheReadTokens;
        w.WriteNumber("promptTokenCount", prompt);
        w.WriteNumber("candidatesTokenCount", total.OutputTokens);
        w.WriteNumber("totalTokenCount", prompt + total.OutputTokens);
        if (total.CacheReadTokens > 0)
        {
            w.WriteNumber("cachedContentTokenCount", total.CacheReadTokens);
        }
    });

    public ReadOnlySpan<byte> EndTurnReason => "\"STOP\""u8;

    public IStreamRetrieval StreamRetrieval => GeminiStreamRetrieval.Instance;
}
