namespace Headroom.Bench.Compressors.Oracles;

/// <summary>Ground truth of one loghub line: its level (null when the system has none), content and event template.</summary>
internal sealed record LoghubRow(string? Level, string Content, string EventTemplate);
