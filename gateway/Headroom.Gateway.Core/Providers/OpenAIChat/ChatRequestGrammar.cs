using System.Text.Json;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Providers.OpenAIChat;

/// <summary>
/// OpenAI Chat Completions requests: <c>tools</c> and <c>messages</c>; system and developer messages
/// are the system prompt, <c>tool</c> (and legacy <c>function</c>) messages are the tool outputs.
/// </summary>
internal sealed class ChatRequestGrammar : IRequestGrammar
{
    public static ChatRequestGrammar Instance { get; } = new();

    public bool Member(ref RequestWalk walk)
    {
        if (walk.R.ValueTextEquals("tools"u8)) { walk.R.Read(); walk.ToolsArray(); }
        else if (walk.R.ValueTextEquals("messages"u8)) { walk.R.Read(); walk.MessagesArray(this); }
        else { return false; }

        return true;
    }

    public void Message(ref RequestWalk walk, int index)
    {
        string? role = null, toolCallId = null;
        (int, int)? stringContent = null;
        List<PendingBlock>? parts = null;
        List<PendingBlock>? calls = null;
        var start = (int)walk.R.TokenStartIndex;
        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("role"u8)) { walk.R.Read(); role = JsonRanges.NameOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("tool_call_id"u8)) { walk.R.Read(); toolCallId = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("content"u8)) { walk.Content(ref stringContent, ref parts); }
            else if (walk.R.ValueTextEquals("tool_calls"u8))
            {
                walk.R.Read();
                if (walk.R.TokenType == JsonTokenType.StartArray)
                {
                    calls = [];
                    while (walk.R.Read() && walk.R.TokenType != JsonTokenType.EndArray)
                    {
                        calls.Add(ToolCall(ref walk));
                    }
                }
                else
                {
                    walk.R.Skip();
                }
            }
            else { walk.R.Skip(); }
        }

        role ??= "user";
        var end = (int)walk.R.TokenStartIndex + 1;
        if (role == "assistant")
        {
            walk.LastModel = index;
        }

        var kind = role switch
        {
            "system" or "developer" => BlockKind.System,
            "tool" or "function" => BlockKind.ToolOutput,
            _ => BlockKind.Text,
        };
        var call = walk.CallFor(toolCallId);
        var template = new ContextBlock
        {
            Message = index, Block = 0, Role = role, Kind = kind, Start = start, End = end,
            ToolUseId = toolCallId, ToolName = kind == BlockKind.ToolOutput ? call.Name : null, CommandOrPath = kind == BlockKind.ToolOutput ? call.Command : null,
        };
        if (stringContent is { } s)
        {
            walk.System ??= kind == BlockKind.System ? s : null;
            walk.Blocks.Add(template with { Start = s.Item1, End = s.Item2, IsString = true });
        }

        for (var i = 0; parts is not null && i < parts.Count; i++)
        {
            var part = parts[i];
            var isText = part.Text is not null && part.Type is null or "text";
            var range = isText ? part.Text!.Value : part.Range;
            walk.Blocks.Add(template with
            {
                Block = i, Start = range.Start, End = range.End, IsString = isText, HasCacheControl = part.CacheControl,
                Kind = isText ? kind : part.Type is "image_url" or "input_audio" or "file" ? BlockKind.Image : BlockKind.Other,
            });
        }

        for (var i = 0; calls is not null && i < calls.Count; i++)
        {
            var p = calls[i];
            walk.Blocks.Add(template with
            {
                Block = (parts?.Count ?? (stringContent is null ? 0 : 1)) + i, Kind = BlockKind.ToolCall, Start = p.Range.Start, End = p.Range.End,
                ToolUseId = p.Id, ToolName = p.Name, CommandOrPath = p.CommandOrPath,
            });
        }

        if (stringContent is null && parts is null && calls is null)
        {
            walk.Blocks.Add(template with { Kind = kind == BlockKind.ToolOutput ? BlockKind.Other : kind });
        }
    }

    private static PendingBlock ToolCall(ref RequestWalk walk)
    {
        var p = new PendingBlock { Range = ((int)walk.R.TokenStartIndex, 0) };
        if (walk.R.TokenType != JsonTokenType.StartObject)
        {
            p.Range = JsonRanges.Value(ref walk.R);
            return p;
        }

        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("id"u8)) { walk.R.Read(); p.Id = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("function"u8) && walk.R.Read() && walk.R.TokenType == JsonTokenType.StartObject)
            {
                var inner = walk.ContentBlock();
                p.Name = inner.Name;
                p.CommandOrPath = inner.CommandOrPath;
            }
            else { walk.R.Skip(); }
        }

        p.Range = (p.Range.Start, (int)walk.R.TokenStartIndex + 1);
        if (p.Id is not null)
        {
            walk.Calls[p.Id] = (p.Name, p.CommandOrPath);
        }

        return p;
    }
}
