namespace Headroom.Gateway.LiveZone;

/// <summary>What a block of the request's context is. Only <see cref="ToolOutput"/> can be a candidate.</summary>
public enum BlockKind : byte
{
    System,
    ToolDefinition,
    Text,
    Thinking,
    ToolCall,
    ToolOutput,
    Image,
    Other,
}
