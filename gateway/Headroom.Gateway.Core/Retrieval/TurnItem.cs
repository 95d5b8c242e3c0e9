namespace Headroom.Gateway.Retrieval;

/// <summary>One item of a model turn; <see cref="CallId"/> and <see cref="Hash"/> are set for tool calls.</summary>
internal sealed record TurnItem(int Start, int End, bool IsToolCall, bool IsRetrieve, string? CallId, string? Hash);
