using System.Text.Json;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// One pass of <see cref="RequestWalker"/> over a request body: the reader, the blocks found so far
/// and what every protocol's grammar shares (the <c>tools</c> array, content blocks, tool calls by
/// id). A protocol's grammar (<see cref="Providers.IWireProtocol.Walk"/>) reads the root object's
/// members it knows and adds blocks; everything else is skipped, never copied.
/// </summary>
internal ref struct RequestWalk
{
    private readonly ReadOnlySpan<byte> _body;

    /// <summary>The reader, positioned by the grammar; a field so grammars advance it in place.</summary>
    public Utf8JsonReader R;

    public List<ContextBlock> Blocks { get; } = [];

    /// <summary>Tool calls by id: the tool name and command or path, for the outputs that answer them.</summary>
    public Dictionary<string, (string? Name, string? Command)> Calls { get; } = new(StringComparer.Ordinal);

    public List<string> ToolNames { get; } = [];

    // The content blocks of the message being read: one list for the whole walk, since each message's
    // blocks are consumed before the next message is read.
    private List<PendingBlock>? _content;

    public string? Model;
    public bool Stream;
    public bool PromptCacheKey;
    public (int, int)? Tools;
    public (int, int)? ToolDeclarations;
    public (int, int)? System;
    public (int, int)? Conversation;

    /// <summary>Index of the last message the model produced; tool outputs after it are the live zone.</summary>
    public int LastModel = -1;

    private int _rootEnd;

    public RequestWalk(ReadOnlySpan<byte> body)
    {
        _body = body;
        R = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
    }

    public readonly ReadOnlySpan<byte> Body => _body;

    /// <summary>
    /// Reads the root object, handing each member name to <paramref name="member"/> (positioned on the
    /// property name); false when the body is not one JSON object.
    /// </summary>
    public bool Root(IRequestGrammar grammar)
    {
        if (!R.Read() || R.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (R.Read() && R.TokenType == JsonTokenType.PropertyName)
        {
            if (R.ValueTextEquals("model"u8)) { R.Read(); Model = JsonRanges.StringOrNull(ref R); }
            else if (R.ValueTextEquals("stream"u8)) { R.Read(); Stream = R.TokenType == JsonTokenType.True; }
            else if (R.ValueTextEquals("prompt_cache_key"u8)) { R.Read(); PromptCacheKey = R.TokenType == JsonTokenType.String; R.Skip(); }
            else if (!grammar.Member(ref this)) { R.Skip(); }
        }

        if (R.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        _rootEnd = (int)R.TokenStartIndex;
        return !R.Read(); // nothing may follow the root object
    }

    public RequestShape Finish()
    {
        (int, int)? latestUser = null, firstUser = null;
        for (var i = 0; i < Blocks.Count; i++)
        {
            var b = Blocks[i];
            if (b.Kind == BlockKind.ToolOutput && b.Message > LastModel)
            {
                Blocks[i] = b with { InLiveZone = true };
            }

            if (b.Kind == BlockKind.Text && b.Role == "user" && b.IsString)
            {
                firstUser ??= (b.Start, b.End);
                latestUser = (b.Start, b.End);
            }
        }

        return new RequestShape
        {
            Blocks = Blocks,
            Model = Model,
            Stream = Stream,
            Tools = Tools,
            ToolDeclarations = ToolDeclarations,
            Conversation = Conversation,
            ToolCount = ToolNames.Count,
            ToolNames = ToolNames,
            RootEnd = _rootEnd,
            LastModelMessage = LastModel,
            LatestUserText = latestUser,
            FirstUserText = firstUser,
            System = System,
            HasPromptCacheKey = PromptCacheKey,
        };
    }

    /// <summary>A <c>tools</c> array of Anthropic, Chat or Responses tool objects (the reader is on its value).</summary>
    public void ToolsArray()
    {
        if (R.TokenType != JsonTokenType.StartArray)
        {
            R.Skip();
            return;
        }

        var start = (int)R.TokenStartIndex;
        var index = 0;
        while (R.Read() && R.TokenType != JsonTokenType.EndArray)
        {
            var toolStart = (int)R.TokenStartIndex;
            string? name = null;
            var cache = false;
            if (R.TokenType == JsonTokenType.StartObject)
            {
                while (R.Read() && R.TokenType == JsonTokenType.PropertyName)
                {
                    if (R.ValueTextEquals("name"u8)) { R.Read(); name ??= JsonRanges.StringOrNull(ref R); }
                    else if (R.ValueTextEquals("cache_control"u8)) { R.Read(); cache = R.TokenType != JsonTokenType.Null; R.Skip(); }
                    else if (R.ValueTextEquals("function"u8)) { R.Read(); name ??= NameOf(); }
                    else { R.Skip(); }
                }
            }
            else
            {
                R.Skip();
            }

            AddTool(index++, toolStart, (int)R.TokenStartIndex + 1, name, cache);
        }

        Tools = (start, (int)R.TokenStartIndex + 1);
    }

    public void AddTool(int index, int start, int end, string? name, bool cacheControl)
    {
        ToolNames.Add(name ?? "");
        Blocks.Add(new ContextBlock
        {
            Message = -1, Block = index, Role = "tools", Kind = BlockKind.ToolDefinition,
            Start = start, End = end, ToolName = name, HasCacheControl = cacheControl,
        });
    }

    /// <summary>The <c>name</c> member of the object the reader is on (the object is consumed).</summary>
    public string? NameOf()
    {
        string? name = null;
        if (R.TokenType != JsonTokenType.StartObject)
        {
            R.Skip();
            return null;
        }

        while (R.Read() && R.TokenType == JsonTokenType.PropertyName)
        {
            if (R.ValueTextEquals("name"u8)) { R.Read(); name = JsonRanges.StringOrNull(ref R); }
            else { R.Skip(); }
        }

        return name;
    }

    /// <summary>
    /// A conversation array (the reader is on its value): each object goes to the grammar's
    /// <see cref="IRequestGrammar.Message"/> with its index; the array's range becomes <see cref="Conversation"/>.
    /// </summary>
    /// <param name="objectsOnly">False to hand every item, objects or not, to the grammar.</param>
    public void MessagesArray(IRequestGrammar grammar, bool objectsOnly = true)
    {
        if (R.TokenType != JsonTokenType.StartArray)
        {
            R.Skip();
            return;
        }

        var start = (int)R.TokenStartIndex;
        var index = 0;
        while (R.Read() && R.TokenType != JsonTokenType.EndArray)
        {
            if (objectsOnly && R.TokenType != JsonTokenType.StartObject)
            {
                R.Skip();
                index++;
                continue;
            }

            grammar.Message(ref this, index++);
        }

        Conversation = (start, (int)R.TokenStartIndex + 1);
    }

    /// <summary>A message's "content" (the reader is on the property name): a string token, or an array of blocks.</summary>
    public void Content(ref (int, int)? text, ref List<PendingBlock>? blocks)
    {
        R.Read();
        if (R.TokenType == JsonTokenType.String)
        {
            text = JsonRanges.StringToken(ref R);
        }
        else if (R.TokenType == JsonTokenType.StartArray)
        {
            blocks = _content ??= new List<PendingBlock>(8);
            blocks.Clear();
            while (R.Read() && R.TokenType != JsonTokenType.EndArray)
            {
                blocks.Add(ContentBlock());
            }
        }
        else
        {
            R.Skip();
        }
    }

    /// <summary>The call a tool output answers, by id; default when the id is unknown.</summary>
    public readonly (string? Name, string? Command) CallFor(string? id) =>
        id is not null && Calls.TryGetValue(id, out var c) ? c : default;

    /// <summary>Reads one content block object (Anthropic block, Chat part or Responses item).</summary>
    public PendingBlock ContentBlock()
    {
        var p = new PendingBlock { Range = ((int)R.TokenStartIndex, 0) };
        if (R.TokenType != JsonTokenType.StartObject)
        {
            p.Range = JsonRanges.Value(ref R);
            return p;
        }

        while (R.Read() && R.TokenType == JsonTokenType.PropertyName)
        {
            if (R.ValueTextEquals("type"u8)) { R.Read(); p.Type = JsonRanges.NameOrNull(ref R); }
            else if (R.ValueTextEquals("text"u8)) { R.Read(); p.Text = R.TokenType == JsonTokenType.String ? JsonRanges.StringToken(ref R) : JsonRanges.Value(ref R); }
            else if (R.ValueTextEquals("id"u8)) { R.Read(); p.Id = JsonRanges.StringOrNull(ref R); }
            else if (R.ValueTextEquals("call_id"u8) || R.ValueTextEquals("tool_use_id"u8) || R.ValueTextEquals("tool_call_id"u8))
            {
                R.Read();
                p.ToolUseId = JsonRanges.StringOrNull(ref R);
            }
            else if (R.ValueTextEquals("name"u8)) { R.Read(); p.Name = JsonRanges.StringOrNull(ref R); }
            else if (R.ValueTextEquals("role"u8)) { R.Read(); p.Role = JsonRanges.NameOrNull(ref R); }
            else if (R.ValueTextEquals("cache_control"u8)) { R.Read(); p.CacheControl = R.TokenType != JsonTokenType.Null; R.Skip(); }
            else if (R.ValueTextEquals("is_error"u8)) { R.Read(); p.IsError = R.TokenType == JsonTokenType.True; }
            else if (R.ValueTextEquals("input"u8) || R.ValueTextEquals("arguments"u8))
            {
                R.Read();
                p.CommandOrPath = Arguments();
            }
            else if (R.ValueTextEquals("content"u8) || R.ValueTextEquals("output"u8))
            {
                R.Read();
                if (R.TokenType == JsonTokenType.String)
                {
                    p.StringContent = JsonRanges.StringToken(ref R);
                }
                else if (R.TokenType == JsonTokenType.StartArray)
                {
                    p.Parts = [];
                    while (R.Read() && R.TokenType != JsonTokenType.EndArray)
                    {
                        var part = ContentBlock();
                        if (part.Text is { } t && part.Type is null or "text" or "input_text" or "output_text")
                        {
                            p.Parts.Add((t.Start, t.End, true));
                        }
                        else
                        {
                            p.Parts.Add((part.Range.Start, part.Range.End, false));
                        }
                    }
                }
                else
                {
                    R.Skip();
                }
            }
            else { R.Skip(); }
        }

        p.Range = (p.Range.Start, (int)R.TokenStartIndex + 1);
        return p;
    }

    /// <summary>A tool call's arguments (the reader is on the value): the command or path they name.</summary>
    public string? Arguments()
    {
        if (R.TokenType == JsonTokenType.StartObject)
        {
            var range = JsonRanges.SkipContainer(ref R);
            return JsonRanges.CommandOrPath(_body[range.Start..range.End]);
        }

        if (R.TokenType == JsonTokenType.String)
        {
            // OpenAI arguments (JSON inside a string) or a custom tool's free-form input.
            var text = R.GetString() ?? "";
            return text.StartsWith('{') ? JsonRanges.CommandOrPath(global::System.Text.Encoding.UTF8.GetBytes(text)) : FirstLine(text);
        }

        R.Skip();
        return null;
    }

    /// <summary>A tool output's parts as blocks: text parts are tool outputs, the rest images or other.</summary>
    public readonly void AddParts(ContextBlock template, List<(int Start, int End, bool IsText)> parts)
    {
        for (var j = 0; j < parts.Count; j++)
        {
            var part = parts[j];
            Blocks.Add(template with
            {
                Part = j, Start = part.Start, End = part.End, IsString = part.IsText,
                Kind = part.IsText ? BlockKind.ToolOutput : BlockKind.Image,
            });
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? text : text[..end];
        return line.Length > 300 ? line[..300] : line;
    }
}

/// <summary>A protocol's request grammar: the root members it reads, and one message of its conversation.</summary>
internal interface IRequestGrammar
{
    /// <summary>Reads the member's value when the name (the reader is on it) is one this protocol knows; false to have it skipped.</summary>
    bool Member(ref RequestWalk walk);

    /// <summary>Reads one message object of the conversation (the reader is on its start).</summary>
    void Message(ref RequestWalk walk, int index);
}
