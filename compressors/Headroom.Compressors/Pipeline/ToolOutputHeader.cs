namespace Headroom.Compressors.Pipeline;

/// <summary>
/// Agents wrap command output in a short envelope around the output itself: Codex's header
/// <c>Exit code: 0 / Wall time: 0.2 seconds / Output:</c>, or Gemini CLI's
/// <c>&lt;untrusted_context&gt;\nOutput: …\nProcess Group PGID: 123\n&lt;/untrusted_context&gt;</c>. The
/// envelope is kept as it is and the content inside it is detected and compressed on its own, so JSON
/// or a log inside an envelope is still recognised as JSON or a log.
/// </summary>
public static class ToolOutputHeader
{
    private const int MaxHeaderLines = 8;
    private const int MaxHeaderChars = 600;
    private const int MaxTrailerLines = 8;
    private const int MaxTagChars = 40;

    /// <summary>Length in chars of a leading block of short status lines ending with an "Output:" line, or 0.</summary>
    public static int Length(string text) => Find(text).Header;

    /// <summary>
    /// The envelope around a command's output: the header's length, and the trailer's (the status lines
    /// and closing tag after the output, only when the header opened a tag that the text closes).
    /// </summary>
    public static (int Header, int Trailer) Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tag = OpeningTag(text);
        var at = tag.Length == 0 ? 0 : tag.Length + 3; // "<tag>\n"
        for (var line = 0; line < MaxHeaderLines && at < text.Length && at < MaxHeaderChars; line++)
        {
            var end = text.IndexOf('\n', at);
            if (end < 0)
            {
                return (0, 0);
            }

            var content = text.AsSpan(at, end - at).TrimEnd('\r');
            if (content.SequenceEqual("Output:"))
            {
                return (end + 1, Trailer(text, tag, end + 1));
            }

            if (tag.Length > 0 && content.StartsWith("Output: ", StringComparison.Ordinal))
            {
                // The output begins on the "Output: " line itself.
                return (at + "Output: ".Length, Trailer(text, tag, at + "Output: ".Length));
            }

            // Every line before "Output:" is a short status line ("Exit code: 0", "Process exited
            // with code 0"), never the start of JSON, markup or a quoted string.
            if (content.IsEmpty || content.Length > 120 || "{[<\"".Contains(content[0], StringComparison.Ordinal))
            {
                return (0, 0);
            }

            at = end + 1;
        }

        return (0, 0);
    }

    /// <summary>The tag name when the text opens with a line holding only <c>&lt;name&gt;</c>, else empty.</summary>
    private static ReadOnlySpan<char> OpeningTag(string text)
    {
        if (text.Length < 4 || text[0] != '<')
        {
            return [];
        }

        var close = text.IndexOf(">\n", 1, Math.Min(text.Length - 1, MaxTagChars + 2), StringComparison.Ordinal);
        if (close < 2)
        {
            return [];
        }

        var name = text.AsSpan(1, close - 1);
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || c == '_' || c == '-'))
            {
                return [];
            }
        }

        return name;
    }

    /// <summary>
    /// The trailer's length: the closing tag, and the short "Name: value" status lines just before it
    /// with the line break that joins them to the output; 0 when the text does not end with the tag.
    /// </summary>
    private static int Trailer(string text, ReadOnlySpan<char> tag, int bodyStart)
    {
        if (tag.Length == 0)
        {
            return 0;
        }

        var closing = "</" + tag.ToString() + ">";
        var end = text.EndsWith(closing + "\n", StringComparison.Ordinal) ? text.Length - closing.Length - 1
            : text.EndsWith(closing, StringComparison.Ordinal) ? text.Length - closing.Length
            : -1;
        if (end < bodyStart || end == 0 || text[end - 1] != '\n')
        {
            return 0;
        }

        // Walk back over status lines ("Process Group PGID: 123", "Exit Code: 1") before the tag.
        var start = end - 1; // the '\n' that ends the last status line (or the output)
        for (var line = 0; line < MaxTrailerLines; line++)
        {
            var previous = start > bodyStart ? text.LastIndexOf('\n', start - 1, start - bodyStart) : -1;
            if (previous < 0 || !IsStatusLine(text.AsSpan(previous + 1, start - previous - 1)))
            {
                break;
            }

            start = previous;
        }

        return text.Length - start;
    }

    private static bool IsStatusLine(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 1 || colon > 40 || line.Length > 200 || !char.IsAsciiLetterUpper(line[0]))
        {
            return false;
        }

        foreach (var c in line[..colon])
        {
            if (!(char.IsAsciiLetter(c) || c == ' '))
            {
                return false;
            }
        }

        return true;
    }
}
