namespace Headroom.Compressors.Pipeline;

/// <summary>
/// Agents wrap command output in a short header before the output itself, e.g. Codex's
/// <c>Exit code: 0 / Wall time: 0.2 seconds / Output:</c>. The header is kept as it is and the
/// content after it is detected and compressed on its own, so JSON or HTML behind a header is
/// still recognised as JSON or HTML.
/// </summary>
public static class ToolOutputHeader
{
    private const int MaxHeaderLines = 8;
    private const int MaxHeaderChars = 600;

    /// <summary>Length in chars of a leading block of short status lines ending with an "Output:" line, or 0.</summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = 0;
        for (var line = 0; line < MaxHeaderLines && at < text.Length && at < MaxHeaderChars; line++)
        {
            var end = text.IndexOf('\n', at);
            if (end < 0)
            {
                return 0;
            }

            var content = text.AsSpan(at, end - at).TrimEnd('\r');
            if (content.SequenceEqual("Output:"))
            {
                return end + 1;
            }

            // Every line before "Output:" is a short status line ("Exit code: 0", "Process exited
            // with code 0"), never the start of JSON, markup or a quoted string.
            if (content.IsEmpty || content.Length > 120 || "{[<\"".Contains(content[0], StringComparison.Ordinal))
            {
                return 0;
            }

            at = end + 1;
        }

        return 0;
    }
}
