namespace Headroom.Gateway.Retrieval;

/// <summary>
/// The model's turn in a JSON response, by byte range: the items it produced (content blocks,
/// tool calls or output items), which of them call <c>headroom_retrieve</c>, and where the usage is.
/// </summary>
internal sealed record ModelTurn
{
    /// <summary>Range of what goes back into the conversation: Anthropic content array, Chat message object, Responses output array.</summary>
    public required (int Start, int End) Turn { get; init; }

    /// <summary>Each produced item: its range and, for our tool, the call id and hash.</summary>
    public required IReadOnlyList<TurnItem> Items { get; init; }

    public (int Start, int End)? Usage { get; init; }

    /// <summary>Range of the stop_reason / finish_reason string, when present.</summary>
    public (int Start, int End)? StopReason { get; init; }

    public bool CallsRetrieve => Items.Any(i => i.IsRetrieve);

    public bool CallsClientTools => Items.Any(i => i.IsToolCall && !i.IsRetrieve);
}
