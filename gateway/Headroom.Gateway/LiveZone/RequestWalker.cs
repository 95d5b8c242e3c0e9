using System.Text.Json;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Finds every context block of an Anthropic Messages, OpenAI Chat or OpenAI Responses request by
/// byte range, with <see cref="Utf8JsonReader"/>: nothing is deserialised into objects and
/// nothing is re-serialised, so a splice can replace exactly the bytes of a tool output and leave
/// every other byte as the client sent it (invariant 1).
/// </summary>
public static class RequestWalker
{
    /// <summary>The request's shape, or null when the body is not a JSON object this API understands.</summary>
    public static RequestShape? Walk(ReadOnlySpan<byte> body, ApiKind api)
    {
        try
        {
            var walk = new Walker(body);
            var ok = api switch
            {
                ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens => walk.Root(api),
                ApiKind.OpenAIChat => walk.Root(api),
                ApiKind.OpenAIResponses => walk.Root(api),
                _ => false,
            };
            return ok ? walk.Finish() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // a token of an unexpected type where a string was required
        }
    }

    private ref struct Walker
    {
        private readonly ReadOnlySpan<byte> _body;
        private Utf8JsonReader _r;
        private readonly List<ContextBlock> _blocks = [];
        private readonly Dictionary<string, (string? Name, string? Command)> _calls = new(StringComparer.Ordinal);
        private readonly List<string> _toolNames = [];
        private string? _model;
        private bool _stream;
        private bool _promptCacheKey;
        private (int, int)? _tools;
        private (int, int)? _system;
        private (int, int)? _conversation;
        private int _rootEnd;
        private int _lastModel = -1;

        public Walker(ReadOnlySpan<byte> body)
        {
            _body = body;
            _r = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        }

        public bool Root(ApiKind api)
        {
            if (!_r.Read() || _r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("model"u8)) { _r.Read(); _model = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("stream"u8)) { _r.Read(); _stream = _r.TokenType == JsonTokenType.True; }
                else if (_r.ValueTextEquals("prompt_cache_key"u8)) { _r.Read(); _promptCacheKey = _r.TokenType == JsonTokenType.String; _r.Skip(); }
                else if (_r.ValueTextEquals("tools"u8)) { _r.Read(); Tools(); }
                else if (api is ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens && _r.ValueTextEquals("system"u8)) { _r.Read(); AnthropicSystem(); }
                else if (api is ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens && _r.ValueTextEquals("messages"u8)) { _r.Read(); Messages(api); }
                else if (api == ApiKind.OpenAIChat && _r.ValueTextEquals("messages"u8)) { _r.Read(); Messages(api); }
                else if (api == ApiKind.OpenAIResponses && _r.ValueTextEquals("instructions"u8)) { _r.Read(); Instructions(); }
                else if (api == ApiKind.OpenAIResponses && _r.ValueTextEquals("input"u8)) { _r.Read(); ResponsesInput(); }
                else { _r.Skip(); }
            }

            if (_r.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            _rootEnd = (int)_r.TokenStartIndex;
            return !_r.Read(); // nothing may follow the root object
        }

        public RequestShape Finish()
        {
            (int, int)? latestUser = null, firstUser = null;
            for (var i = 0; i < _blocks.Count; i++)
            {
                var b = _blocks[i];
                if (b.Kind == BlockKind.ToolOutput && b.Message > _lastModel)
                {
                    _blocks[i] = b with { InLiveZone = true };
                }

                if (b.Kind == BlockKind.Text && b.Role == "user" && b.IsString)
                {
                    firstUser ??= (b.Start, b.End);
                    latestUser = (b.Start, b.End);
                }
            }

            return new RequestShape
            {
                Blocks = _blocks,
                Model = _model,
                Stream = _stream,
                Tools = _tools,
                Conversation = _conversation,
                ToolCount = _toolNames.Count,
                ToolNames = _toolNames,
                RootEnd = _rootEnd,
                LastModelMessage = _lastModel,
                LatestUserText = latestUser,
                FirstUserText = firstUser,
                System = _system,
                HasPromptCacheKey = _promptCacheKey,
            };
        }

        // ---- shared -------------------------------------------------------------------------

        private void Tools()
        {
            if (_r.TokenType != JsonTokenType.StartArray)
            {
                _r.Skip();
                return;
            }

            var start = (int)_r.TokenStartIndex;
            var index = 0;
            while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
            {
                var toolStart = (int)_r.TokenStartIndex;
                string? name = null;
                var cache = false;
                if (_r.TokenType == JsonTokenType.StartObject)
                {
                    while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (_r.ValueTextEquals("name"u8)) { _r.Read(); name ??= JsonRanges.StringOrNull(ref _r); }
                        else if (_r.ValueTextEquals("cache_control"u8)) { _r.Read(); cache = _r.TokenType != JsonTokenType.Null; _r.Skip(); }
                        else if (_r.ValueTextEquals("function"u8)) { _r.Read(); name ??= FunctionName(); }
                        else { _r.Skip(); }
                    }
                }
                else
                {
                    _r.Skip();
                }

                _toolNames.Add(name ?? "");
                _blocks.Add(new ContextBlock
                {
                    Message = -1, Block = index++, Role = "tools", Kind = BlockKind.ToolDefinition,
                    Start = toolStart, End = (int)_r.TokenStartIndex + 1, ToolName = name, HasCacheControl = cache,
                });
            }

            _tools = (start, (int)_r.TokenStartIndex + 1);
        }

        private string? FunctionName()
        {
            string? name = null;
            if (_r.TokenType != JsonTokenType.StartObject)
            {
                _r.Skip();
                return null;
            }

            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("name"u8)) { _r.Read(); name = JsonRanges.StringOrNull(ref _r); }
                else { _r.Skip(); }
            }

            return name;
        }

        private void Messages(ApiKind api)
        {
            if (_r.TokenType != JsonTokenType.StartArray)
            {
                _r.Skip();
                return;
            }

            var start = (int)_r.TokenStartIndex;
            var index = 0;
            while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
            {
                if (_r.TokenType != JsonTokenType.StartObject)
                {
                    _r.Skip();
                    index++;
                    continue;
                }

                if (api == ApiKind.OpenAIChat)
                {
                    ChatMessage(index++);
                }
                else
                {
                    AnthropicMessage(index++);
                }
            }

            _conversation = (start, (int)_r.TokenStartIndex + 1);
        }

        // ---- Anthropic Messages -------------------------------------------------------------

        private void AnthropicSystem()
        {
            if (_r.TokenType == JsonTokenType.String)
            {
                var range = JsonRanges.StringToken(ref _r);
                _system = range;
                _blocks.Add(new ContextBlock { Message = -1, Block = 0, Role = "system", Kind = BlockKind.System, Start = range.Start, End = range.End, IsString = true });
                return;
            }

            if (_r.TokenType != JsonTokenType.StartArray)
            {
                _r.Skip();
                return;
            }

            var start = (int)_r.TokenStartIndex;
            var index = 0;
            while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
            {
                var block = ContentBlock();
                _blocks.Add(new ContextBlock
                {
                    Message = -1, Block = index++, Role = "system", Kind = BlockKind.System,
                    Start = block.Range.Start, End = block.Range.End, HasCacheControl = block.CacheControl,
                });
            }

            _system = (start, (int)_r.TokenStartIndex + 1);
        }

        /// <summary>A message's "content": a string token, or an array of blocks.</summary>
        private void Content(ref (int, int)? text, ref List<PendingBlock>? blocks)
        {
            _r.Read();
            if (_r.TokenType == JsonTokenType.String)
            {
                text = JsonRanges.StringToken(ref _r);
            }
            else if (_r.TokenType == JsonTokenType.StartArray)
            {
                blocks = [];
                while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
                {
                    blocks.Add(ContentBlock());
                }
            }
            else
            {
                _r.Skip();
            }
        }

        private void AnthropicMessage(int index)
        {
            string? role = null;
            (int, int)? stringContent = null;
            List<PendingBlock>? content = null;
            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("role"u8)) { _r.Read(); role = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("content"u8)) { Content(ref stringContent, ref content); }
                else { _r.Skip(); }
            }

            role ??= "user";
            if (role == "assistant")
            {
                _lastModel = index;
            }

            if (stringContent is { } s)
            {
                _blocks.Add(new ContextBlock { Message = index, Block = 0, Role = role, Kind = BlockKind.Text, Start = s.Item1, End = s.Item2, IsString = true });
            }

            for (var i = 0; content is not null && i < content.Count; i++)
            {
                AddAnthropicBlock(index, i, role, content[i]);
            }
        }

        private void AddAnthropicBlock(int message, int blockIndex, string role, PendingBlock p)
        {
            switch (p.Type)
            {
                case "text" when p.Text is { } t:
                    _blocks.Add(new ContextBlock { Message = message, Block = blockIndex, Role = role, Kind = BlockKind.Text, Start = t.Start, End = t.End, IsString = true, HasCacheControl = p.CacheControl });
                    break;
                case "thinking" or "redacted_thinking":
                    _blocks.Add(Plain(message, blockIndex, role, BlockKind.Thinking, p));
                    break;
                case "tool_use" or "server_tool_use":
                    if (p.Id is not null)
                    {
                        _calls[p.Id] = (p.Name, p.CommandOrPath);
                    }

                    _blocks.Add(Plain(message, blockIndex, role, BlockKind.ToolCall, p) with { ToolUseId = p.Id, ToolName = p.Name, CommandOrPath = p.CommandOrPath });
                    break;
                case "tool_result":
                    AddToolOutput(message, blockIndex, role, p);
                    break;
                case "image" or "document":
                    _blocks.Add(Plain(message, blockIndex, role, BlockKind.Image, p));
                    break;
                default:
                    _blocks.Add(Plain(message, blockIndex, role, BlockKind.Other, p));
                    break;
            }
        }

        private void AddToolOutput(int message, int blockIndex, string role, PendingBlock p)
        {
            var call = p.ToolUseId is not null && _calls.TryGetValue(p.ToolUseId, out var c) ? c : default;
            var template = new ContextBlock
            {
                Message = message, Block = blockIndex, Role = role, Kind = BlockKind.ToolOutput, Start = p.Range.Start, End = p.Range.End,
                ToolUseId = p.ToolUseId, ToolName = call.Name, CommandOrPath = call.Command, HasCacheControl = p.CacheControl, IsError = p.IsError,
            };
            if (p.StringContent is { } s)
            {
                _blocks.Add(template with { Start = s.Start, End = s.End, IsString = true });
            }
            else if (p.Parts is { } parts)
            {
                for (var j = 0; j < parts.Count; j++)
                {
                    var part = parts[j];
                    _blocks.Add(template with
                    {
                        Part = j, Start = part.Start, End = part.End, IsString = part.IsText,
                        Kind = part.IsText ? BlockKind.ToolOutput : BlockKind.Image,
                    });
                }
            }
            else
            {
                _blocks.Add(template with { Kind = BlockKind.Other });
            }
        }

        private static ContextBlock Plain(int message, int block, string role, BlockKind kind, PendingBlock p) => new()
        {
            Message = message, Block = block, Role = role, Kind = kind, Start = p.Range.Start, End = p.Range.End, HasCacheControl = p.CacheControl,
        };

        /// <summary>Reads one content block object (Anthropic, Chat part or Responses item).</summary>
        private PendingBlock ContentBlock()
        {
            var p = new PendingBlock { Range = ((int)_r.TokenStartIndex, 0) };
            if (_r.TokenType != JsonTokenType.StartObject)
            {
                p.Range = JsonRanges.Value(ref _r);
                return p;
            }

            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("type"u8)) { _r.Read(); p.Type = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("text"u8)) { _r.Read(); p.Text = _r.TokenType == JsonTokenType.String ? JsonRanges.StringToken(ref _r) : Skip(); }
                else if (_r.ValueTextEquals("id"u8)) { _r.Read(); p.Id = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("call_id"u8) || _r.ValueTextEquals("tool_use_id"u8) || _r.ValueTextEquals("tool_call_id"u8))
                {
                    _r.Read();
                    p.ToolUseId = JsonRanges.StringOrNull(ref _r);
                }
                else if (_r.ValueTextEquals("name"u8)) { _r.Read(); p.Name = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("role"u8)) { _r.Read(); p.Role = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("cache_control"u8)) { _r.Read(); p.CacheControl = _r.TokenType != JsonTokenType.Null; _r.Skip(); }
                else if (_r.ValueTextEquals("is_error"u8)) { _r.Read(); p.IsError = _r.TokenType == JsonTokenType.True; }
                else if (_r.ValueTextEquals("input"u8) || _r.ValueTextEquals("arguments"u8))
                {
                    _r.Read();
                    if (_r.TokenType == JsonTokenType.StartObject)
                    {
                        var range = JsonRanges.SkipContainer(ref _r);
                        p.CommandOrPath = JsonRanges.CommandOrPath(_body[range.Start..range.End]);
                    }
                    else if (_r.TokenType == JsonTokenType.String)
                    {
                        // OpenAI arguments (JSON inside a string) or a custom tool's free-form input.
                        var text = _r.GetString() ?? "";
                        p.CommandOrPath = text.StartsWith('{') ? JsonRanges.CommandOrPath(System.Text.Encoding.UTF8.GetBytes(text)) : FirstLine(text);
                    }
                    else
                    {
                        _r.Skip();
                    }
                }
                else if (_r.ValueTextEquals("content"u8) || _r.ValueTextEquals("output"u8))
                {
                    _r.Read();
                    if (_r.TokenType == JsonTokenType.String)
                    {
                        p.StringContent = JsonRanges.StringToken(ref _r);
                    }
                    else if (_r.TokenType == JsonTokenType.StartArray)
                    {
                        p.Parts = [];
                        while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
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
                        _r.Skip();
                    }
                }
                else { _r.Skip(); }
            }

            p.Range = (p.Range.Start, (int)_r.TokenStartIndex + 1);
            return p;
        }

        private (int Start, int End) Skip() => JsonRanges.Value(ref _r);

        private static string FirstLine(string text)
        {
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            var line = end < 0 ? text : text[..end];
            return line.Length > 300 ? line[..300] : line;
        }

        // ---- OpenAI Chat Completions --------------------------------------------------------

        private void ChatMessage(int index)
        {
            string? role = null, toolCallId = null;
            (int, int)? stringContent = null;
            List<PendingBlock>? parts = null;
            List<PendingBlock>? calls = null;
            var start = (int)_r.TokenStartIndex;
            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("role"u8)) { _r.Read(); role = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("tool_call_id"u8)) { _r.Read(); toolCallId = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("content"u8)) { Content(ref stringContent, ref parts); }
                else if (_r.ValueTextEquals("tool_calls"u8))
                {
                    _r.Read();
                    if (_r.TokenType == JsonTokenType.StartArray)
                    {
                        calls = [];
                        while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
                        {
                            calls.Add(ChatToolCall());
                        }
                    }
                    else
                    {
                        _r.Skip();
                    }
                }
                else { _r.Skip(); }
            }

            role ??= "user";
            var end = (int)_r.TokenStartIndex + 1;
            if (role == "assistant")
            {
                _lastModel = index;
            }

            var kind = role switch
            {
                "system" or "developer" => BlockKind.System,
                "tool" or "function" => BlockKind.ToolOutput,
                _ => BlockKind.Text,
            };
            var call = toolCallId is not null && _calls.TryGetValue(toolCallId, out var c) ? c : default;
            var template = new ContextBlock
            {
                Message = index, Block = 0, Role = role, Kind = kind, Start = start, End = end,
                ToolUseId = toolCallId, ToolName = kind == BlockKind.ToolOutput ? call.Name : null, CommandOrPath = kind == BlockKind.ToolOutput ? call.Command : null,
            };
            if (stringContent is { } s)
            {
                _system ??= kind == BlockKind.System ? s : null;
                _blocks.Add(template with { Start = s.Item1, End = s.Item2, IsString = true });
            }

            for (var i = 0; parts is not null && i < parts.Count; i++)
            {
                var part = parts[i];
                var isText = part.Text is not null && part.Type is null or "text";
                var range = isText ? part.Text!.Value : part.Range;
                _blocks.Add(template with
                {
                    Block = i, Start = range.Start, End = range.End, IsString = isText, HasCacheControl = part.CacheControl,
                    Kind = isText ? kind : part.Type is "image_url" or "input_audio" or "file" ? BlockKind.Image : BlockKind.Other,
                });
            }

            for (var i = 0; calls is not null && i < calls.Count; i++)
            {
                var p = calls[i];
                _blocks.Add(template with
                {
                    Block = (parts?.Count ?? (stringContent is null ? 0 : 1)) + i, Kind = BlockKind.ToolCall, Start = p.Range.Start, End = p.Range.End,
                    ToolUseId = p.Id, ToolName = p.Name, CommandOrPath = p.CommandOrPath,
                });
            }

            if (stringContent is null && parts is null && calls is null)
            {
                _blocks.Add(template with { Kind = kind == BlockKind.ToolOutput ? BlockKind.Other : kind });
            }
        }

        private PendingBlock ChatToolCall()
        {
            var p = new PendingBlock { Range = ((int)_r.TokenStartIndex, 0) };
            if (_r.TokenType != JsonTokenType.StartObject)
            {
                p.Range = JsonRanges.Value(ref _r);
                return p;
            }

            while (_r.Read() && _r.TokenType == JsonTokenType.PropertyName)
            {
                if (_r.ValueTextEquals("id"u8)) { _r.Read(); p.Id = JsonRanges.StringOrNull(ref _r); }
                else if (_r.ValueTextEquals("function"u8) && _r.Read() && _r.TokenType == JsonTokenType.StartObject)
                {
                    var inner = ContentBlock();
                    p.Name = inner.Name;
                    p.CommandOrPath = inner.CommandOrPath;
                }
                else { _r.Skip(); }
            }

            p.Range = (p.Range.Start, (int)_r.TokenStartIndex + 1);
            if (p.Id is not null)
            {
                _calls[p.Id] = (p.Name, p.CommandOrPath);
            }

            return p;
        }

        // ---- OpenAI Responses ---------------------------------------------------------------

        private void Instructions()
        {
            if (_r.TokenType == JsonTokenType.String)
            {
                var s = JsonRanges.StringToken(ref _r);
                _system = s;
                _blocks.Add(new ContextBlock { Message = -1, Block = 0, Role = "system", Kind = BlockKind.System, Start = s.Start, End = s.End, IsString = true });
            }
            else
            {
                _r.Skip();
            }
        }

        private void ResponsesInput()
        {
            if (_r.TokenType == JsonTokenType.String)
            {
                var s = JsonRanges.StringToken(ref _r);
                _blocks.Add(new ContextBlock { Message = 0, Block = 0, Role = "user", Kind = BlockKind.Text, Start = s.Start, End = s.End, IsString = true });
                return;
            }

            if (_r.TokenType != JsonTokenType.StartArray)
            {
                _r.Skip();
                return;
            }

            var start = (int)_r.TokenStartIndex;
            var index = 0;
            while (_r.Read() && _r.TokenType != JsonTokenType.EndArray)
            {
                ResponsesItem(index++, ContentBlock());
            }

            _conversation = (start, (int)_r.TokenStartIndex + 1);
        }

        private void ResponsesItem(int index, PendingBlock p)
        {
            var role = p.Role;
            var type = p.Type ?? (role is not null ? "message" : "unknown");
            switch (type)
            {
                case "message":
                    {
                        role ??= "user";
                        if (role == "assistant")
                        {
                            _lastModel = index;
                        }

                        var kind = role is "system" or "developer" ? BlockKind.System : BlockKind.Text;
                        if (p.StringContent is { } s)
                        {
                            _system ??= kind == BlockKind.System ? s : null;
                            _blocks.Add(new ContextBlock { Message = index, Block = 0, Role = role, Kind = kind, Start = s.Start, End = s.End, IsString = true });
                        }
                        else if (p.Parts is { } parts)
                        {
                            for (var j = 0; j < parts.Count; j++)
                            {
                                _blocks.Add(new ContextBlock
                                {
                                    Message = index, Block = j, Role = role, Kind = parts[j].IsText ? kind : BlockKind.Image,
                                    Start = parts[j].Start, End = parts[j].End, IsString = parts[j].IsText,
                                });
                            }
                        }

                        break;
                    }

                case "function_call_output" or "custom_tool_call_output" or "local_shell_call_output" or "computer_call_output":
                    {
                        var call = p.ToolUseId is not null && _calls.TryGetValue(p.ToolUseId, out var c) ? c : default;
                        var template = new ContextBlock
                        {
                            Message = index, Block = 0, Role = "tool", Kind = BlockKind.ToolOutput, Start = p.Range.Start, End = p.Range.End,
                            ToolUseId = p.ToolUseId, ToolName = call.Name, CommandOrPath = call.Command,
                        };
                        if (p.StringContent is { } s)
                        {
                            _blocks.Add(template with { Start = s.Start, End = s.End, IsString = true });
                        }
                        else if (p.Parts is { } parts)
                        {
                            for (var j = 0; j < parts.Count; j++)
                            {
                                _blocks.Add(template with
                                {
                                    Part = j, Start = parts[j].Start, End = parts[j].End, IsString = parts[j].IsText,
                                    Kind = parts[j].IsText ? BlockKind.ToolOutput : BlockKind.Image,
                                });
                            }
                        }
                        else
                        {
                            _blocks.Add(template with { Kind = BlockKind.Other });
                        }

                        break;
                    }

                default:
                    {
                        // function_call, custom_tool_call, reasoning, web_search_call, ...: the model's own output.
                        var isCall = type.EndsWith("_call", StringComparison.Ordinal);
                        if (isCall || type == "reasoning")
                        {
                            _lastModel = index;
                        }

                        if (isCall && p.ToolUseId is not null)
                        {
                            _calls[p.ToolUseId] = (p.Name, p.CommandOrPath);
                        }

                        _blocks.Add(new ContextBlock
                        {
                            Message = index, Block = 0, Role = "assistant",
                            Kind = type == "reasoning" ? BlockKind.Thinking : isCall ? BlockKind.ToolCall : BlockKind.Other,
                            Start = p.Range.Start, End = p.Range.End, ToolUseId = p.ToolUseId, ToolName = isCall ? p.Name : null, CommandOrPath = p.CommandOrPath,
                        });
                        break;
                    }
            }
        }
    }
}
