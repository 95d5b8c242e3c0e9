using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// One Anthropic content block rebuilt from its stream events, so the turn can be sent back
/// upstream in the continuation request exactly as the model produced it.
/// </summary>
internal sealed class StreamBlock
{
    private readonly JsonObject _start;
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _signature = new();
    private readonly StringBuilder _json = new();

    public StreamBlock(JsonObject start)
    {
        _start = start;
        Type = start["type"]?.GetValue<string>() ?? "";
        Name = start["name"]?.GetValue<string>();
        Id = start["id"]?.GetValue<string>();
    }

    public string Type { get; }
    public string? Name { get; }
    public string? Id { get; }

    public bool IsToolCall => Type is "tool_use" or "server_tool_use";

    public string ArgumentsJson => _json.Length == 0 ? "{}" : _json.ToString();

    public void Apply(JsonObject delta)
    {
        switch (delta["type"]?.GetValue<string>())
        {
            case "text_delta": _text.Append(delta["text"]?.GetValue<string>()); break;
            case "thinking_delta": _text.Append(delta["thinking"]?.GetValue<string>()); break;
            case "signature_delta": _signature.Append(delta["signature"]?.GetValue<string>()); break;
            case "input_json_delta": _json.Append(delta["partial_json"]?.GetValue<string>()); break;
        }
    }

    public JsonNode ToJson()
    {
        var block = (JsonObject)_start.DeepClone();
        switch (Type)
        {
            case "text":
                block["text"] = (block["text"]?.GetValue<string>() ?? "") + _text;
                break;
            case "thinking":
                block["thinking"] = (block["thinking"]?.GetValue<string>() ?? "") + _text;
                block["signature"] = (block["signature"]?.GetValue<string>() ?? "") + _signature;
                break;
            case "tool_use" or "server_tool_use":
                try
                {
                    block["input"] = JsonNode.Parse(ArgumentsJson);
                }
                catch (JsonException)
                {
                    block["input"] = new JsonObject();
                }

                break;
        }

        return block;
    }
}
