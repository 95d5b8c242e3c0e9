namespace Headroom.Gateway.Telemetry;

/// <summary>One tool's outputs as the live zone saw them: how many, how many compressed, tokens before/after.</summary>
public sealed record ToolSummary(string Tool, long Outputs, long Compressed, long TokensBefore, long TokensAfter)
{
    public long TokensSaved => TokensBefore - TokensAfter;
}
