namespace Headroom.Gateway.LiveZone;

/// <summary>
/// One block of a provider request's context, located by byte range in the request body.
/// For string-valued blocks (text, tool output text) <see cref="Start"/>..<see cref="End"/> is the
/// JSON string token including its quotes, exactly as the client sent it; otherwise the value.
/// </summary>
public sealed record ContextBlock
{
    /// <summary>Index of the message (or Responses input item); -1 for system and tool definitions.</summary>
    public required int Message { get; init; }

    /// <summary>Index of the block inside the message's content (0 for string content).</summary>
    public required int Block { get; init; }

    /// <summary>Index inside a tool result's own content array, or -1.</summary>
    public int Part { get; init; } = -1;

    public required string Role { get; init; }
    public required BlockKind Kind { get; init; }
    public required int Start { get; init; }
    public required int End { get; init; }

    /// <summary>True when <see cref="Start"/>..<see cref="End"/> is a JSON string token.</summary>
    public bool IsString { get; init; }

    public string? ToolUseId { get; init; }
    public string? ToolName { get; init; }

    /// <summary>The command or file path of the tool call this output answers, when recognisable.</summary>
    public string? CommandOrPath { get; init; }

    public bool HasCacheControl { get; init; }
    public bool IsError { get; init; }

    /// <summary>Set by the walker: a tool output after the last model turn (the live zone).</summary>
    public bool InLiveZone { get; init; }

    public int Length => End - Start;
}
