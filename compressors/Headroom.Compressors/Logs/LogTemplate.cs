namespace Headroom.Compressors.Logs;

/// <summary>A mined line template: tokens with variable positions as <c>&lt;*&gt;</c>, the lines it
/// covers (in order) and whether they are alert lines (errors and warnings mine apart from the rest).</summary>
internal sealed class LogTemplate(int id, string[] tokens, int firstLine, bool alert)
{
    public int Id { get; } = id;

    public string[] Tokens { get; } = tokens;

    public int FirstLine { get; } = firstLine;

    public bool Alert { get; } = alert;

    public List<int> Lines { get; } = [firstLine];

    public int Count => Lines.Count;

    public override string ToString() => string.Join(' ', Tokens);
}
