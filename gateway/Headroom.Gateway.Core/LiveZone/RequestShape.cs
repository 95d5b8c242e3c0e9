namespace Headroom.Gateway.LiveZone;

/// <summary>
/// What the walker found in one request body: every context block, where the tool list is,
/// and the facts the cache logic needs. Byte offsets are into the original body.
/// </summary>
public sealed record RequestShape
{
    public required IReadOnlyList<ContextBlock> Blocks { get; init; }
    public string? Model { get; init; }
    public bool Stream { get; init; }

    /// <summary>Byte range of the "tools" array value, or null when the request has none.</summary>
    public (int Start, int End)? Tools { get; init; }

    public int ToolCount { get; init; }

    /// <summary>Gemini: the first <c>functionDeclarations</c> array inside <c>tools</c>, where the retrieve tool is declared.</summary>
    public (int Start, int End)? ToolDeclarations { get; init; }

    /// <summary>Byte range of the "messages" (or Responses "input") array, or null.</summary>
    public (int Start, int End)? Conversation { get; init; }

    /// <summary>Names of the tools the client declared, in order.</summary>
    public IReadOnlyList<string> ToolNames { get; init; } = [];

    /// <summary>Offset of the root object's closing brace (where a new property can be inserted).</summary>
    public int RootEnd { get; init; }

    /// <summary>Index of the last message the model produced (-1 when none): the live zone starts after it.</summary>
    public int LastModelMessage { get; init; } = -1;

    /// <summary>Byte range of the latest user text (the query for relevance), or null.</summary>
    public (int Start, int End)? LatestUserText { get; init; }

    /// <summary>Byte range of the first user text (part of the fallback session key), or null.</summary>
    public (int Start, int End)? FirstUserText { get; init; }

    /// <summary>Byte range of the system prompt / instructions value, or null.</summary>
    public (int Start, int End)? System { get; init; }

    /// <summary>The client's prompt_cache_key (OpenAI), if any.</summary>
    public bool HasPromptCacheKey { get; init; }

    public static RequestShape Empty { get; } = new() { Blocks = [] };

    /// <summary>Whether any block carries the client's own <c>cache_control</c> (a loop: the planners ask on every request).</summary>
    public bool AnyCacheControl()
    {
        for (var i = 0; i < Blocks.Count; i++)
        {
            if (Blocks[i].HasCacheControl)
            {
                return true;
            }
        }

        return false;
    }
}
