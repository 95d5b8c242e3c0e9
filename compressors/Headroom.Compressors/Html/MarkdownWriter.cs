using System.Text;
using AngleSharp.Dom;

namespace Headroom.Compressors.Html;

/// <summary>
/// Writes extracted page content as compact Markdown: headings, paragraphs, lists, pipe tables,
/// fenced preformatted text, block quotes; links as their text with the URL the first time it appears.
/// Emphasis and images are dropped (they cost tokens and carry little for an agent).
/// </summary>
internal sealed class MarkdownWriter
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _inline = new();
    private readonly HashSet<string> _seenUrls = new(StringComparer.Ordinal);
    private string? _pendingFirstPrefix;
    private bool _compactNext;

    public static string Write(ExtractedPage page)
    {
        var writer = new MarkdownWriter();
        if (page.Title.Length > 0 && !StartsWithHeading(page, page.Title))
        {
            writer.EmitLine("# " + Collapse(page.Title), compact: false);
        }

        foreach (var node in page.Content)
        {
            writer.BlockChildrenOrSelf(node, "");
        }

        return writer._out.ToString().TrimEnd('\n');
    }

    private static bool StartsWithHeading(ExtractedPage page, string title)
    {
        foreach (var node in page.Content)
        {
            if (node is IElement el)
            {
                var h = el.QuerySelector("h1, h2");
                return h is not null && string.Equals(Collapse(h.TextContent), Collapse(title), StringComparison.Ordinal);
            }
        }

        return false;
    }

    private void BlockChildrenOrSelf(INode node, string prefix)
    {
        if (node is IElement el)
        {
            Block(el, prefix);
        }
        else
        {
            AppendInline(node);
            FlushParagraph(prefix);
        }
    }

    private void Blocks(INode parent, string prefix)
    {
        var children = parent.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IElement el && HtmlTags.Block.Contains(el.LocalName))
            {
                FlushParagraph(prefix);
                Block(el, prefix);
            }
            else
            {
                AppendInline(child);
            }
        }

        FlushParagraph(prefix);
    }

    private void Block(IElement el, string prefix)
    {
        string tag = el.LocalName;
        if (!HtmlTags.Block.Contains(tag))
        {
            AppendInline(el);
            FlushParagraph(prefix);
            return;
        }

        switch (tag)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                AppendInline(el);
                string text = TakeInline();
                if (text.Length > 0)
                {
                    EmitLine(prefix + new string('#', tag[1] - '0') + " " + text.Replace('\n', ' '), compact: false);
                }

                break;
            case "ul" or "ol" or "menu" or "dir":
                List(el, prefix, ordered: tag == "ol");
                break;
            case "blockquote":
                Blocks(el, prefix + "> ");
                break;
            case "pre" or "listing" or "xmp" or "plaintext":
                Pre(el, prefix);
                break;
            case "table":
                Table(el, prefix);
                break;
            case "hr":
                break;
            default:
                Blocks(el, prefix);
                break;
        }
    }

    private void List(IElement list, string prefix, bool ordered)
    {
        int n = 0;
        bool first = true;
        foreach (var item in list.Children)
        {
            if (item.LocalName is not "li")
            {
                Block(item, prefix);
                continue;
            }

            n++;
            string bullet = ordered ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ". " : "- ";
            _pendingFirstPrefix = prefix + bullet;
            _compactNext = !first;
            first = false;
            Blocks(item, prefix + new string(' ', bullet.Length));
            _pendingFirstPrefix = null;
        }

        _compactNext = false;
    }

    private void Pre(IElement el, string prefix)
    {
        string code = el.TextContent.TrimEnd('\n', '\r', ' ', '\t').TrimStart('\n', '\r');
        if (code.Length == 0)
        {
            return;
        }

        EmitLine(prefix + "```", compact: false);
        foreach (var line in code.Split('\n'))
        {
            _out.Append(prefix).Append(line.TrimEnd('\r')).Append('\n');
        }

        _out.Append(prefix).Append("```\n");
    }

    private void Table(IElement table, string prefix)
    {
        var rows = new List<IElement>();
        CollectRows(table, rows);
        int columns = 0;
        foreach (var row in rows)
        {
            int cells = 0;
            foreach (var cell in row.Children)
            {
                if (cell.LocalName is "td" or "th")
                {
                    cells++;
                }
            }

            columns = Math.Max(columns, cells);
        }

        // Layout tables (one column, or tables of tables) are just containers.
        if (columns <= 1 || table.QuerySelector("table") is not null)
        {
            foreach (var row in rows)
            {
                foreach (var cell in row.Children)
                {
                    Blocks(cell, prefix);
                }
            }

            return;
        }

        var caption = table.QuerySelector("caption");
        if (caption is not null)
        {
            Blocks(caption, prefix);
        }

        bool headerDone = false;
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear().Append(prefix).Append('|');
            int written = 0;
            foreach (var cell in row.Children)
            {
                if (cell.LocalName is not ("td" or "th"))
                {
                    continue;
                }

                AppendInline(cell);
                string text = TakeInline().Replace('\n', ' ').Replace("|", "\\|", StringComparison.Ordinal);
                line.Append(' ').Append(text).Append(" |");
                written++;
            }

            for (; written < columns; written++)
            {
                line.Append("  |");
            }

            EmitLine(line.ToString(), compact: headerDone);
            if (!headerDone)
            {
                line.Clear().Append(prefix).Append('|');
                for (int i = 0; i < columns; i++)
                {
                    line.Append(" --- |");
                }

                EmitLine(line.ToString(), compact: true);
                headerDone = true;
            }
        }
    }

    private static void CollectRows(IElement container, List<IElement> rows)
    {
        foreach (var child in container.Children)
        {
            if (child.LocalName == "tr")
            {
                rows.Add(child);
            }
            else if (child.LocalName is "thead" or "tbody" or "tfoot")
            {
                CollectRows(child, rows);
            }
        }
    }

    private void AppendInline(INode node)
    {
        if (node.NodeType == NodeType.Text)
        {
            AppendText(node.TextContent);
            return;
        }

        if (node is not IElement el)
        {
            return;
        }

        switch (el.LocalName)
        {
            case "br":
                TrimInlineEnd();
                _inline.Append('\n');
                return;
            case "img" or "picture" or "source":
                return;
            case "a":
                AppendLink(el);
                return;
            case "code" or "kbd" or "samp" or "tt":
                if (el.ParentElement?.LocalName != "pre")
                {
                    string code = Collapse(el.TextContent);
                    if (code.Length > 0)
                    {
                        AppendSpaceIfNeeded(el);
                        _inline.Append('`').Append(code).Append('`');
                    }

                    return;
                }

                break;
        }

        if (HtmlTags.Block.Contains(el.LocalName))
        {
            // A block inside inline content: keep it on its own line.
            TrimInlineEnd();
            _inline.Append('\n');
        }

        var children = el.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            AppendInline(children[i]);
        }

        if (HtmlTags.Block.Contains(el.LocalName))
        {
            TrimInlineEnd();
            _inline.Append('\n');
        }
    }

    private void AppendSpaceIfNeeded(IElement el)
    {
        if (_inline.Length > 0 && !char.IsWhiteSpace(_inline[^1]) && el.PreviousSibling is { NodeType: NodeType.Text } prev
            && prev.TextContent.Length > 0 && char.IsWhiteSpace(prev.TextContent[^1]))
        {
            _inline.Append(' ');
        }
    }

    private void AppendLink(IElement a)
    {
        int start = _inline.Length;
        var children = a.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            AppendInline(children[i]);
        }

        string href = (a.GetAttribute("href") ?? "").Trim();
        if (_inline.Length == start || href.Length == 0 || href[0] == '#'
            || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
            || !_seenUrls.Add(href))
        {
            return;
        }

        // Leading whitespace stays outside the brackets.
        int textStart = start;
        while (textStart < _inline.Length && _inline[textStart] == ' ')
        {
            textStart++;
        }

        string text = _inline.ToString(textStart, _inline.Length - textStart).TrimEnd();
        if (text.Length == 0 || text.Contains('\n', StringComparison.Ordinal))
        {
            return;
        }

        _inline.Length = textStart;
        _inline.Append('[').Append(text).Append("](").Append(href.Replace(" ", "%20", StringComparison.Ordinal)).Append(')');
    }

    private void AppendText(string text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_inline.Length > 0 && _inline[^1] != ' ' && _inline[^1] != '\n')
                {
                    _inline.Append(' ');
                }
            }
            else
            {
                _inline.Append(c);
            }
        }
    }

    private void TrimInlineEnd()
    {
        while (_inline.Length > 0 && _inline[^1] == ' ')
        {
            _inline.Length--;
        }
    }

    private string TakeInline()
    {
        string text = _inline.ToString().Trim(' ', '\n');
        _inline.Clear();
        return text;
    }

    private void FlushParagraph(string prefix)
    {
        string text = TakeInline();
        if (text.Length == 0)
        {
            return;
        }

        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            EmitLine(prefix + line, compact: _compactNext);
            _compactNext = true;
        }

        _compactNext = false;
    }

    /// <summary>Appends a line; blocks are separated by a blank line unless <paramref name="compact"/> (list items, table rows, line breaks).</summary>
    private void EmitLine(string line, bool compact)
    {
        if (_pendingFirstPrefix is not null)
        {
            // First line of a list item: the bullet replaces the item's indentation.
            int indent = _pendingFirstPrefix.Length;
            line = _pendingFirstPrefix + (line.Length >= indent ? line[indent..] : line.TrimStart());
            _pendingFirstPrefix = null;
        }

        if (_out.Length > 0 && !compact && !(_out.Length >= 2 && _out[^1] == '\n' && _out[^2] == '\n'))
        {
            _out.Append('\n');
        }

        _out.Append(line).Append('\n');
    }

    private static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString().TrimEnd();
    }
}
