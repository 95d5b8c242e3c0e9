using System.Text.Json;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Providers.OpenAIResponses;

/// <summary>
/// OpenAI Responses requests: <c>tools</c>, <c>instructions</c> (the system prompt) and <c>input</c>, a
/// string or an array of items whose <c>*_call_output</c> items are the tool outputs.
/// </summary>
internal sealed class ResponsesRequestGrammar : IRequestGrammar
{
    public static ResponsesRequestGrammar Instance { get; } = new();

    public bool Member(ref RequestWalk walk)
    {
        if (walk.R.ValueTextEquals("tools"u8)) { walk.R.Read(); walk.ToolsArray(); }
        else if (walk.R.ValueTextEquals("instructions"u8)) { walk.R.Read(); Instructions(ref walk); }
        else if (walk.R.ValueTextEquals("input"u8)) { walk.R.Read(); Input(ref walk); }
        else { return false; }

        return true;
    }

    private static void Instructions(ref RequestWalk walk)
    {
        if (walk.R.TokenType == JsonTokenType.String)
        {
            var s = JsonRanges.StringToken(ref walk.R);
            walk.System = s;
            walk.Blocks.Add(new ContextBlock { Message = -1, Block = 0, Role = "system", Kind = BlockKind.System, Start = s.Start, End = s.End, IsString = true });
        }
        else
        {
            walk.R.Skip();
        }
    }

    private void Input(ref RequestWalk walk)
    {
        if (walk.R.TokenType == JsonTokenType.String)
        {
            var s = JsonRanges.StringToken(ref walk.R);
            walk.Blocks.Add(new ContextBlock { Message = 0, Block = 0, Role = "user", Kind = BlockKind.Text, Start = s.Start, End = s.End, IsString = true });
            return;
        }

        walk.MessagesArray(this, objectsOnly: false);
    }

    public void Message(ref RequestWalk walk, int index)
    {
        var p = walk.ContentBlock();
        var role = p.Role;
        var type = p.Type ?? (role is not null ? "message" : "unknown");
        switch (type)
        {
            case "message":
                AddMessage(ref walk, index, role ?? "user", p);
                break;
            case "function_call_output" or "custom_tool_call_output" or "local_shell_call_output" or "computer_call_output":
                AddToolOutput(ref walk, index, p);
                break;
            default:
                {
                    // function_call, custom_tool_call, reasoning, web_search_call, ...: the model's own output.
                    var isCall = type.EndsWith("_call", StringComparison.Ordinal);
                    if (isCall || type == "reasoning")
                    {
                        walk.LastModel = index;
                    }

                    if (isCall && p.ToolUseId is not null)
                    {
                        walk.Calls[p.ToolUseId] = (p.Name, p.CommandOrPath);
                    }

                    walk.Blocks.Add(new ContextBlock
                    {
                        Message = index, Block = 0, Role = "assistant",
                        Kind = type == "reasoning" ? BlockKind.Thinking : isCall ? BlockKind.ToolCall : BlockKind.Other,
                        Start = p.Range.Start, End = p.Range.End, ToolUseId = p.ToolUseId, ToolName = isCall ? p.Name : null, CommandOrPath = p.CommandOrPath,
                    });
                    break;
                }
        }
    }

    private static void AddMessage(ref RequestWalk walk, int index, string role, PendingBlock p)
    {
        if (role == "assistant")
        {
            walk.LastModel = index;
        }

        var kind = role is "system" or "developer" ? BlockKind.System : BlockKind.Text;
        if (p.StringContent is { } s)
        {
            walk.System ??= kind == BlockKind.System ? s : null;
            walk.Blocks.Add(new ContextBlock { Message = index, Block = 0, Role = role, Kind = kind, Start = s.Start, End = s.End, IsString = true });
        }
        else if (p.Parts is { } parts)
        {
            for (var j = 0; j < parts.Count; j++)
            {
                walk.Blocks.Add(new ContextBlock
                {
                    Message = index, Block = j, Role = role, Kind = parts[j].IsText ? kind : BlockKind.Image,
                    Start = parts[j].Start, End = parts[j].End, IsString = parts[j].IsText,
                });
            }
        }
    }

    private static void AddToolOutput(ref RequestWalk walk, int index, PendingBlock p)
    {
        var call = walk.CallFor(p.ToolUseId);
        var template = new ContextBlock
        {
            Message = index, Block = 0, Role = "tool", Kind = BlockKind.ToolOutput, Start = p.Range.Start, End = p.Range.End,
            ToolUseId = p.ToolUseId, ToolName = call.Name, CommandOrPath = call.Command,
        };
        if (p.StringContent is { } s)
        {
            walk.Blocks.Add(template with { Start = s.Start, End = s.End, IsString = true });
        }
        else if (p.Parts is { } parts)
        {
            walk.AddParts(template, parts);
        }
        else
        {
            walk.Blocks.Add(template with { Kind = BlockKind.Other });
        }
    }
}
