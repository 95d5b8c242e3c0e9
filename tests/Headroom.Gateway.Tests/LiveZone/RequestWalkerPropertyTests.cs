using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>
/// Generated bodies for the three walkers: any bytes never throw out of a walk (a body the walker cannot
/// read is forwarded untouched), and in generated well-formed requests every tool output's byte range
/// decodes to exactly the output that was put there, whatever its characters.
/// </summary>
public sealed class RequestWalkerPropertyTests
{
    private static readonly ApiKind[] Apis = [ApiKind.AnthropicMessages, ApiKind.OpenAIChat, ApiKind.OpenAIResponses];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Elements("", "ok", "line\nline", "tab\there", "quote \" and \\ backslash", "é 日本 🚀", "\u0000\u001f control", "</script>", "{\"json\":[1,2]}"),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null));

    [Fact]
    public void AnyBytes_NeverThrowOutOfAWalk()
    {
        var junk = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null),
            Text.Select(Encoding.UTF8.GetBytes),
            Gen.Elements("{\"messages\":[", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":", "{\"input\":[{\"type\":\"function_call_output\",\"output\":1e400}]}", new string('[', 5000), "{\"tools\":{}}").Select(Encoding.UTF8.GetBytes));

        Prop.ForAll(Arb.From(junk), bytes =>
        {
            foreach (var api in Apis)
            {
                _ = RequestWalker.Walk(bytes, api);
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ToolOutputRanges_DecodeToTheOutputsPutThere_OnAllThreeApis()
    {
        var outputs = Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(Text, n)).Select(l => l.ToArray());

        Prop.ForAll(Arb.From(outputs), values =>
        {
            foreach (var api in Apis)
            {
                var body = Encoding.UTF8.GetBytes(Build(api, values));
                var shape = RequestWalker.Walk(body, api);
                if (shape is null)
                {
                    return false.Label($"{api}: a well-formed body was not walked");
                }

                var found = shape.Blocks.Where(b => b.Kind == BlockKind.ToolOutput && b.IsString)
                    .Select(b => JsonSerializer.Deserialize<string>(body.AsSpan(b.Start, b.End - b.Start))).ToArray();
                if (!found.SequenceEqual(values))
                {
                    return false.Label($"{api}: found [{string.Join(" | ", found)}] for [{string.Join(" | ", values)}]");
                }
            }

            return true.ToProperty();
        }).QuickCheckThrowOnFailure();
    }

    private static string Build(ApiKind api, string[] outputs)
    {
        var items = new JsonArray { api == ApiKind.OpenAIResponses ? new JsonObject { ["role"] = "user", ["content"] = "go" } : new JsonObject { ["role"] = "user", ["content"] = "go" } };
        for (var i = 0; i < outputs.Length; i++)
        {
            var id = "call_" + i;
            switch (api)
            {
                case ApiKind.AnthropicMessages:
                    items.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat x" } } } });
                    items.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id, ["content"] = outputs[i] } } });
                    break;
                case ApiKind.OpenAIChat:
                    items.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec", ["arguments"] = "{}" } } } });
                    items.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = outputs[i] });
                    break;
                default:
                    items.Add(new JsonObject { ["type"] = "function_call", ["call_id"] = id, ["name"] = "exec", ["arguments"] = "{}" });
                    items.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = id, ["output"] = outputs[i] });
                    break;
            }
        }

        var root = new JsonObject { ["model"] = "m", ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash" } } };
        root[api == ApiKind.OpenAIResponses ? "input" : "messages"] = items;
        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
