using System.Text.RegularExpressions;

namespace Headroom.Compressors.Html;

/// <summary>
/// Class/id vocabularies for boilerplate detection, after Mozilla Readability's heuristics
/// (https://github.com/mozilla/readability, Readability.js REGEXPS). Matched once per element, never per byte.
/// </summary>
internal static partial class HtmlPatterns
{
    [GeneratedRegex("-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex UnlikelyCandidates();

    [GeneratedRegex("and|article|body|column|content|main|mathjax|shadow", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex MaybeCandidate();

    [GeneratedRegex("article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Positive();

    [GeneratedRegex("-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Negative();

    [GeneratedRegex("display\\s*:\\s*none|visibility\\s*:\\s*hidden", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex HiddenStyle();

    [GeneratedRegex("\\.( |$)", RegexOptions.CultureInvariant)]
    public static partial Regex SentenceEnd();

    [GeneratedRegex("^\\s*(share|sharing)\\b|\\bshare\\b|\\bsharedaddy\\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex ShareElement();
}
