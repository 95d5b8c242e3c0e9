using System.Text.Json;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic Messages (and count_tokens) requests: <c>tools</c>, <c>system</c> (a string or an array of
/// blocks) and <c>messages</c>, whose <c>tool_result</c> blocks in user turns are the tool outputs.
/// </summary>
internal sealed class AnthropicRequestGrammar : IRequestGrammar
{
    public static AnthropicRequestGrammar Instance { get; } = new();

    public bool Member(ref RequestWalk walk)
    {
        if (walk.R.ValueTextEquals("tools"u8)) { walk.R.Read(); walk.ToolsArray(); }
        else if (walk.R.ValueTextEquals("system"u8)) { walk.R.Read(); System(ref walk); }
        else if (walk.R.ValueTextEquals("messages"u8)) { walk.R.Read(); walk.MessagesArray(this); }
        else { return false; }

        return true;
    }

    private static void System(ref RequestWalk walk)
    {
        ref var r = ref walk.R;
        if (r.TokenType == JsonTokenType.String)
        {
            var range = JsonRanges.StringToken(ref r);
            walk.System = range;
            walk.Blocks.Add(new ContextBlock { Message = -1, Block = 0, Role = "system", Kind = BlockKind.System, Start = range.Start, End = range.End, IsString = true });
            return;
        }

        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.Skip();
            return;
        }

        var start = (int)r.TokenStartIndex;
        var index = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var block = walk.ContentBlock();
            walk.Blocks.Add(new ContextBlock
            {
                Message = -1, Block = index++, Role = "system", Kind = BlockKind.System,
                Start = block.Range.Start, End = block.Range.End, HasCacheControl = block.CacheControl,
            });
        }

        walk.System = (start, (int)r.TokenStartIndex + 1);
    }

    public void Message(ref RequestWalk walk, int index)
    {
        string? role = null;
        (int, int)? stringContent = null;
        List<PendingBlock>? content = null;
        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("role"u8)) { walk.R.Read(); role = JsonRanges.NameOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("content"u8)) { walk.Content(ref stringContent, ref content); }
            else { walk.R.Skip(); }
        }

        role ??= "user";
        if (role == "assistant")
        {
            walk.LastModel = index;
        }

        if (stringContent is { } s)
        {
            walk.Blocks.Add(new ContextBlock { Message = index, Block = 0, Role = role, Kind = BlockKind.Text, Start = s.Item1, End = s.Item2, IsString = true });
        }

        for (var i = 0; content is not null && i < content.Count; i++)
        {
            AddBlock(ref walk, index, i, role, content[i]);
        }
    }

    private static void AddBlock(ref RequestWalk walk, int message, int blockIndex, string role, PendingBlock p)
    {
        switch (p.Type)
        {
            case "text" when p.Text is { } t:
                walk.Blocks.Add(new ContextBlock { Message = message, Block = blockIndex, Role = role, Kind = BlockKind.Text, Start = t.Start, End = t.End, IsString = true, HasCacheControl = p.CacheControl });
                break;
            case "thinking" or "redacted_thinking":
                walk.Blocks.Add(Plain(message, blockIndex, role, BlockKind.Thinking, p));
                break;
            case "tool_use" or "server_tool_use":
                if (p.Id is not null)
                {
                    walk.Calls[p.Id] = (p.Name, p.CommandOrPath);
                }

                walk.Blocks.Add(new ContextBlock
                {
                    Message = message, Block = blockIndex, Role = role, Kind = BlockKind.ToolCall, Start = p.Range.Start, End = p.Range.End, HasCacheControl = p.CacheControl,
                    ToolUseId = p.Id, ToolName = p.Name, CommandOrPath = p.CommandOrPath,
                });
                break;
            case "tool_result":
                AddToolOutput(ref walk, message, blockIndex, role, p);
                break;
            case "image" or "document":
                walk.Blocks.Add(Plain(message, blockIndex, role, BlockKind.Image, p));
                break;
            default:
                walk.Blocks.Add(Plain(message, blockIndex, role, BlockKind.Other, p));
                break;
        }
    }

    private static void AddToolOutput(ref RequestWalk walk, int message, int blockIndex, string role, PendingBlock p)
    {
        var call = walk.CallFor(p.ToolUseId);
        var text = p.StringContent;
        var block = new ContextBlock
        {
            Message = message, Block = blockIndex, Role = role, Kind = text is not null || p.Parts is not null ? BlockKind.ToolOutput : BlockKind.Other,
            Start = text?.Start ?? p.Range.Start, End = text?.End ?? p.Range.End, IsString = text is not null,
            ToolUseId = p.ToolUseId, ToolName = call.Name, CommandOrPath = call.Command, HasCacheControl = p.CacheControl, IsError = p.IsError,
        };
        if (text is null && p.Parts is { } parts)
        {
            walk.AddParts(block, parts); // the block is the parts' template
            return;
        }

        walk.Blocks.Add(block);
    }

    private static ContextBlock Plain(int message, int block, string role, BlockKind kind, PendingBlock p) => new()
    {
        Message = message, Block = block, Role = role, Kind = kind, Start = p.Range.Start, End = p.Range.End, HasCacheControl = p.CacheControl,
    };
}
