namespace Headroom.Compressors.Html;

/// <summary>
/// A linear pre-scan for HTML nested too deep to parse in bounded time. AngleSharp's tree builder walks
/// the stack of open elements for most start tags, so 50,000 unclosed <c>&lt;div&gt;</c> cost a quadratic
/// number of steps; browsers cap the depth for the same reason (Chromium's parser stops nesting at 512).
/// Only elements that need an end tag count: void elements, self-closed tags and elements whose end tag is
/// optional (<c>li</c>, <c>p</c>, <c>td</c>, ...) do not deepen the tree the way an unclosed
/// <c>div</c> does. Raw-text elements and comments are skipped, so markup inside a script is not counted.
/// The scan is an estimate on purpose: it never parses, it only has to be cheap and to err on the side of
/// letting real pages through.
/// </summary>
internal static class NestingDepth
{
    /// <summary>The depth past which the page is forwarded as it is (Chromium's parser limit).</summary>
    public const int Limit = 512;

    private static readonly HashSet<string> Uncounted = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param", "keygen", "command", "basefont", "bgsound", "frame", "image", "isindex", "nextid",
        // Elements whose end tag may be omitted: the parser closes them when a sibling starts.
        "li", "dt", "dd", "p", "rb", "rt", "rtc", "rp", "optgroup", "option", "colgroup", "caption", "thead",
        "tbody", "tfoot", "tr", "td", "th",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext",
    };

    /// <summary>True when some point of <paramref name="html"/> has more than <paramref name="limit"/> open elements.</summary>
    public static bool Exceeds(string html, int limit = Limit) => Deepest(html, limit + 1) > limit;

    /// <summary>The most elements open at once, counting up to <paramref name="stopAt"/> (the scan ends there).</summary>
    public static int Deepest(string html, int stopAt = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(html);
        int deepest = 0;
        ReadOnlySpan<char> s = html;
        int depth = 0;
        int i = 0;
        while (true)
        {
            int lt = s[i..].IndexOf('<');
            if (lt < 0)
            {
                return deepest;
            }

            i += lt + 1;
            if (i >= s.Length)
            {
                return deepest;
            }

            char c = s[i];
            if (c == '!')
            {
                // A comment ends at "-->", a doctype or CDATA section at the next '>'.
                int end = s[i..].StartsWith("!--", StringComparison.Ordinal) ? s[i..].IndexOf("-->", StringComparison.Ordinal) : s[i..].IndexOf('>');
                if (end < 0)
                {
                    return deepest;
                }

                i += end + 1;
                continue;
            }

            bool closing = c == '/';
            int nameStart = closing ? i + 1 : i;
            int nameEnd = nameStart;
            while (nameEnd < s.Length && (char.IsAsciiLetterOrDigit(s[nameEnd]) || s[nameEnd] == '-'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(s[nameStart]))
            {
                continue; // "<" as text, "<?", "</ " and the like.
            }

            var name = s[nameStart..nameEnd];
            int gt = s[nameEnd..].IndexOf('>');
            if (gt < 0)
            {
                return deepest;
            }

            int tagEnd = nameEnd + gt;
            i = tagEnd + 1;
            if (Uncounted.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                continue;
            }

            if (closing)
            {
                depth = Math.Max(0, depth - 1);
                continue;
            }

            if (s[tagEnd - 1] == '/')
            {
                continue; // Self-closed.
            }

            if (RawText.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                // Skip to the matching end tag; its content is text, not markup.
                int close = IndexOfEndTag(s[i..], name);
                if (close < 0)
                {
                    return deepest;
                }

                // Past the end tag too: the element was never counted, so its end must not uncount.
                int endGt = s[(i + close)..].IndexOf('>');
                if (endGt < 0)
                {
                    return deepest;
                }

                i += close + endGt + 1;
                continue;
            }

            depth++;
            if (depth > deepest)
            {
                deepest = depth;
                if (deepest >= stopAt)
                {
                    return deepest;
                }
            }
        }
    }

    private static int IndexOfEndTag(ReadOnlySpan<char> s, ReadOnlySpan<char> name)
    {
        int from = 0;
        while (true)
        {
            int at = s[from..].IndexOf("</", StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            at += from;
            var rest = s[(at + 2)..];
            if (rest.Length >= name.Length && rest[..name.Length].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return at;
            }

            from = at + 2;
        }
    }
}
