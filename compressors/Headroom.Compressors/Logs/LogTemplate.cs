namespace Headroom.Compressors.Logs;

/// <summary>A mined line template: tokens with variable positions as <c>&lt;*&gt;</c>, how many
/// lines it covers and where it first occurred.</summary>
internal sealed class LogTemplate(int id, string[] tokens, int firstLine)
{
    public int Id { get; } = id;

    public string[] Tokens { get; } = tokens;

    public int FirstLine { get; } = firstLine;

    public int Count { get; set; } = 1;

    public override string ToString() => string.Join(' ', Tokens);
}
