using System.Text.Json;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Providers.Gemini;

/// <summary>
/// Gemini <c>generateContent</c> / <c>streamGenerateContent</c> / <c>countTokens</c> requests:
/// <c>tools[].functionDeclarations</c>, <c>systemInstruction</c> and <c>contents</c>, whose
/// <c>functionResponse</c> parts in user turns are the tool outputs (the string in
/// <c>response.output</c>, as Gemini CLI sends it, or <c>response.result</c> / <c>content</c> /
/// <c>error</c>). Member names are read in both protobuf JSON spellings (<c>functionResponse</c>,
/// <c>function_response</c>), as the API accepts both. The model is named by the path, not the body.
/// </summary>
internal sealed class GeminiRequestGrammar : IRequestGrammar
{
    public static GeminiRequestGrammar Instance { get; } = new();

    public bool Member(ref RequestWalk walk)
    {
        if (walk.R.ValueTextEquals("tools"u8)) { walk.R.Read(); Tools(ref walk); }
        else if (walk.R.ValueTextEquals("systemInstruction"u8) || walk.R.ValueTextEquals("system_instruction"u8)) { walk.R.Read(); System(ref walk); }
        else if (walk.R.ValueTextEquals("contents"u8)) { walk.R.Read(); walk.MessagesArray(this); }
        else { return false; }

        return true;
    }

    private static void Tools(ref RequestWalk walk)
    {
        if (walk.R.TokenType != JsonTokenType.StartArray)
        {
            walk.R.Skip();
            return;
        }

        var start = (int)walk.R.TokenStartIndex;
        var index = 0;
        while (walk.R.Read() && walk.R.TokenType != JsonTokenType.EndArray)
        {
            if (walk.R.TokenType != JsonTokenType.StartObject)
            {
                walk.R.Skip();
                continue;
            }

            // One Tool: functionDeclarations, or googleSearch, codeExecution, ... (kept as they are).
            while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
            {
                if (!(walk.R.ValueTextEquals("functionDeclarations"u8) || walk.R.ValueTextEquals("function_declarations"u8)) || !walk.R.Read() || walk.R.TokenType != JsonTokenType.StartArray)
                {
                    walk.R.Skip();
                    continue;
                }

                var declarations = (int)walk.R.TokenStartIndex;
                while (walk.R.Read() && walk.R.TokenType != JsonTokenType.EndArray)
                {
                    var at = (int)walk.R.TokenStartIndex;
                    var name = walk.NameOf();
                    walk.AddTool(index++, at, (int)walk.R.TokenStartIndex + 1, name, cacheControl: false);
                }

                walk.ToolDeclarations ??= (declarations, (int)walk.R.TokenStartIndex + 1);
            }
        }

        walk.Tools = (start, (int)walk.R.TokenStartIndex + 1);
    }

    private static void System(ref RequestWalk walk)
    {
        var start = (int)walk.R.TokenStartIndex;
        if (walk.R.TokenType != JsonTokenType.StartObject)
        {
            walk.R.Skip();
            return;
        }

        var block = 0;
        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (!walk.R.ValueTextEquals("parts"u8) || !walk.R.Read() || walk.R.TokenType != JsonTokenType.StartArray)
            {
                walk.R.Skip();
                continue;
            }

            while (walk.R.Read() && walk.R.TokenType != JsonTokenType.EndArray)
            {
                var part = Part(ref walk);
                var range = part.Text ?? part.Range;
                walk.Blocks.Add(new ContextBlock { Message = -1, Block = block++, Role = "system", Kind = BlockKind.System, Start = range.Start, End = range.End, IsString = part.Text is not null });
            }
        }

        walk.System = (start, (int)walk.R.TokenStartIndex + 1);
    }

    public void Message(ref RequestWalk walk, int index)
    {
        string? role = null;
        List<GeminiPart>? parts = null;
        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("role"u8)) { walk.R.Read(); role = JsonRanges.NameOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("parts"u8) && walk.R.Read() && walk.R.TokenType == JsonTokenType.StartArray)
            {
                parts = [];
                while (walk.R.Read() && walk.R.TokenType != JsonTokenType.EndArray)
                {
                    parts.Add(Part(ref walk));
                }
            }
            else { walk.R.Skip(); }
        }

        role ??= "user";
        if (role == "model")
        {
            walk.LastModel = index;
        }

        for (var i = 0; parts is not null && i < parts.Count; i++)
        {
            AddPart(ref walk, index, i, role, parts[i]);
        }
    }

    private static void AddPart(ref RequestWalk walk, int message, int block, string role, GeminiPart p)
    {
        var plain = new ContextBlock { Message = message, Block = block, Role = role, Kind = BlockKind.Other, Start = p.Range.Start, End = p.Range.End };
        switch (p.Kind)
        {
            case GeminiPartKind.Text when p.Text is { } t:
                walk.Blocks.Add(plain with { Kind = p.Thought ? BlockKind.Thinking : BlockKind.Text, Start = t.Start, End = t.End, IsString = true });
                break;
            case GeminiPartKind.FunctionCall:
                walk.Calls[p.Id ?? p.Name ?? ""] = (p.Name, p.CommandOrPath);
                walk.Blocks.Add(plain with { Kind = BlockKind.ToolCall, ToolUseId = p.Id, ToolName = p.Name, CommandOrPath = p.CommandOrPath });
                break;
            case GeminiPartKind.FunctionResponse:
                {
                    // Gemini CLI sends the call's id; without one the response answers the last call of that name.
                    var call = walk.CallFor(p.Id ?? p.Name);
                    var output = plain with { ToolUseId = p.Id, ToolName = p.Name ?? call.Name, CommandOrPath = call.Command, IsError = p.IsError };
                    walk.Blocks.Add(p.Text is { } s
                        ? output with { Kind = BlockKind.ToolOutput, Start = s.Start, End = s.End, IsString = true }
                        : output);
                    break;
                }

            case GeminiPartKind.Media:
                walk.Blocks.Add(plain with { Kind = BlockKind.Image });
                break;
            default:
                walk.Blocks.Add(plain);
                break;
        }
    }

    /// <summary>One part object (the reader is on its start).</summary>
    private static GeminiPart Part(ref RequestWalk walk)
    {
        var p = new GeminiPart { Range = ((int)walk.R.TokenStartIndex, 0) };
        if (walk.R.TokenType != JsonTokenType.StartObject)
        {
            p.Range = JsonRanges.Value(ref walk.R);
            return p;
        }

        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            ref var r = ref walk.R;
            if (r.ValueTextEquals("text"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.String) { p.Text = JsonRanges.StringToken(ref r); p.Kind = GeminiPartKind.Text; }
                else { r.Skip(); }
            }
            else if (r.ValueTextEquals("thought"u8)) { r.Read(); p.Thought = r.TokenType == JsonTokenType.True; }
            else if (r.ValueTextEquals("functionCall"u8) || r.ValueTextEquals("function_call"u8)) { r.Read(); p.Kind = GeminiPartKind.FunctionCall; Call(ref walk, ref p); }
            else if (r.ValueTextEquals("functionResponse"u8) || r.ValueTextEquals("function_response"u8)) { r.Read(); p.Kind = GeminiPartKind.FunctionResponse; Response(ref walk, ref p); }
            else if (r.ValueTextEquals("inlineData"u8) || r.ValueTextEquals("inline_data"u8) || r.ValueTextEquals("fileData"u8) || r.ValueTextEquals("file_data"u8)) { r.Skip(); p.Kind = GeminiPartKind.Media; }
            else { r.Skip(); }
        }

        p.Range = (p.Range.Start, (int)walk.R.TokenStartIndex + 1);
        return p;
    }

    private static void Call(ref RequestWalk walk, ref GeminiPart p)
    {
        if (walk.R.TokenType != JsonTokenType.StartObject)
        {
            walk.R.Skip();
            return;
        }

        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("id"u8)) { walk.R.Read(); p.Id = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("name"u8)) { walk.R.Read(); p.Name = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("args"u8)) { walk.R.Read(); p.CommandOrPath = walk.Arguments(); }
            else { walk.R.Skip(); }
        }
    }

    private static void Response(ref RequestWalk walk, ref GeminiPart p)
    {
        if (walk.R.TokenType != JsonTokenType.StartObject)
        {
            walk.R.Skip();
            return;
        }

        while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
        {
            if (walk.R.ValueTextEquals("id"u8)) { walk.R.Read(); p.Id = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("name"u8)) { walk.R.Read(); p.Name = JsonRanges.StringOrNull(ref walk.R); }
            else if (walk.R.ValueTextEquals("response"u8) && walk.R.Read() && walk.R.TokenType == JsonTokenType.StartObject)
            {
                // The first string member that holds the tool's output is what gets compressed.
                while (walk.R.Read() && walk.R.TokenType == JsonTokenType.PropertyName)
                {
                    var error = walk.R.ValueTextEquals("error"u8);
                    var isOutput = error || walk.R.ValueTextEquals("output"u8) || walk.R.ValueTextEquals("result"u8) || walk.R.ValueTextEquals("content"u8);
                    walk.R.Read();
                    if (isOutput && p.Text is null && walk.R.TokenType == JsonTokenType.String)
                    {
                        p.Text = JsonRanges.StringToken(ref walk.R);
                        p.IsError = error;
                    }
                    else
                    {
                        walk.R.Skip();
                    }
                }
            }
            else { walk.R.Skip(); }
        }
    }

    private enum GeminiPartKind : byte
    {
        Other,
        Text,
        FunctionCall,
        FunctionResponse,
        Media,
    }

    private struct GeminiPart
    {
        public GeminiPartKind Kind;
        public (int Start, int End) Range;
        public (int Start, int End)? Text;
        public bool Thought;
        public bool IsError;
        public string? Id;
        public string? Name;
        public string? CommandOrPath;
    }
}
