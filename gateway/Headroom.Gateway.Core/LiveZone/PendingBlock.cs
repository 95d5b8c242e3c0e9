namespace Headroom.Gateway.LiveZone;

/// <summary>A block as read, before its message's role and the tool names are known.</summary>
internal struct PendingBlock
{
    public string? Type;
    public (int Start, int End) Range;
    public (int Start, int End)? Text;
    public (int Start, int End)? StringContent;
    public List<(int Start, int End, bool IsText)>? Parts;
    public string? Id;
    public string? Name;
    public string? Role;
    public string? ToolUseId;
    public string? CommandOrPath;
    public bool CacheControl;
    public bool IsError;
}
