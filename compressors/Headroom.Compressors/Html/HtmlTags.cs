namespace Headroom.Compressors.Html;

/// <summary>Tag vocabularies the extractor and the Markdown writer share (lower-case local names).</summary>
internal static class HtmlTags
{
    /// <summary>Never content: dropped before anything is scored.</summary>
    public static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "svg", "iframe", "nav", "footer", "aside", "form", "button", "input",
        "select", "textarea", "template", "object", "embed", "canvas", "link", "meta", "dialog", "frame",
        "frameset", "applet", "head", "title", "base", "audio", "video", "source", "track", "map", "area",
    };

    /// <summary>Elements that start a new block in the Markdown output.</summary>
    public static readonly HashSet<string> Block = new(StringComparer.Ordinal)
    {
        "address", "article", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "html", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul", "caption", "picture", "listing", "plaintext", "xmp",
    };

    /// <summary>Roles whose elements are navigation or chrome, after Readability's UNLIKELY_ROLES.</summary>
    public static readonly HashSet<string> UnlikelyRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog",
    };

    public static bool IsHeading(string tag) => tag.Length == 2 && tag[0] == 'h' && tag[1] is >= '1' and <= '6';
}
