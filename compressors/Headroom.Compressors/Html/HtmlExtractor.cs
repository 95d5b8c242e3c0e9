using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Headroom.Compressors.Html;

/// <summary>
/// Finds the main content of a web page: drops non-content elements, scores paragraphs into their
/// ancestors and keeps the best container plus related siblings, after Mozilla Readability's
/// algorithm (the reference our evaluation pages were labelled with).
/// </summary>
internal static class HtmlExtractor
{
    private const int MinArticleChars = 500;

    private static readonly HashSet<string> DivToPElements = new(StringComparer.Ordinal)
    {
        "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul",
    };

    private static readonly HashSet<string> TagsToScore = new(StringComparer.Ordinal)
    {
        "section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre",
    };

    private static readonly HashSet<string> PhrasingTags = new(StringComparer.Ordinal)
    {
        "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn", "em", "embed", "i",
        "img", "input", "kbd", "label", "mark", "math", "meter", "noscript", "object", "output", "progress", "q",
        "ruby", "samp", "script", "select", "small", "span", "strong", "sub", "sup", "textarea", "time", "var",
        "wbr", "a", "del", "ins", "font", "u", "s", "strike", "tt",
    };

    public static ExtractedPage Extract(string html, CancellationToken cancellationToken = default)
    {
        // 1. Try with every heuristic on; 2. when too little text survives, retry with fewer
        //    (Readability: strip-unlikely, then class weights, then conditional cleaning); 3. keep the longest.
        ExtractedPage? best = null;
        ExtractionFlags[] attempts =
        [
            ExtractionFlags.All,
            ExtractionFlags.WeightClasses | ExtractionFlags.CleanConditionally,
            ExtractionFlags.CleanConditionally,
            ExtractionFlags.None,
        ];
        foreach (var flags in attempts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = Attempt(html, flags, cancellationToken);
            if (page.TextLength >= MinArticleChars)
            {
                return page;
            }

            if (best is null || page.TextLength > best.TextLength)
            {
                best = page;
            }
        }

        return best!;
    }

    private static ExtractedPage Attempt(string html, ExtractionFlags flags, CancellationToken cancellationToken)
    {
        // Script, style and comment text is never content: the tokenizer skips it instead of building nodes.
        var parser = new HtmlParser(new HtmlParserOptions
        {
            IsScripting = false,
            SkipScriptText = true,
            SkipRawText = true,
            SkipComments = true,
            DisableElementPositionTracking = true,
        });
        // The parse honours the compression budget: AngleSharp's tree builder is quadratic on deep
        // nesting (20,000 unclosed <ul><li> take 7 s), and its asynchronous entry checks the token as it
        // goes. The source is a string, so nothing here waits on I/O.
        IHtmlDocument doc = parser.ParseDocumentAsync(html, cancellationToken).GetAwaiter().GetResult();
        cancellationToken.ThrowIfCancellationRequested();
        string title = (doc.Title ?? "").Trim();
        var body = doc.Body;
        if (body is null)
        {
            return new ExtractedPage(title, [], 0);
        }

        // 1. Remove what is never content (scripts, navigation, forms, hidden elements).
        RemoveNonContent(body);

        // 2. Walk, strip unlikely candidates, turn paragraph-like divs into paragraphs, collect what to score.
        var toScore = new List<IElement>();
        Prepare(doc, body, flags, toScore);

        // 3. Score paragraphs into up to five ancestors.
        cancellationToken.ThrowIfCancellationRequested();
        var scores = new CandidateScores();
        foreach (var el in toScore)
        {
            if (el.Parent is null)
            {
                continue;
            }

            var m = TextMeasure.Of(el);
            if (m.Length < 25)
            {
                continue;
            }

            double contentScore = 1 + m.Commas + Math.Min(m.Length / 100, 3);
            int level = 0;
            for (var anc = el.ParentElement; anc is not null && level < 5; anc = anc.ParentElement, level++)
            {
                if (anc.ParentElement is null && anc.LocalName != "body")
                {
                    break;
                }

                double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                scores.Add(anc, scores.Contains(anc) ? 0 : InitialScore(anc, flags), contentScore / divider);
            }
        }

        // 4. Scale by link density and pick the top candidates (ties: document order).
        var top5 = scores.Top5();

        IElement topCandidate;
        bool wholeBody = top5.Count == 0 || top5[0].El.LocalName == "body";
        if (wholeBody)
        {
            topCandidate = body;
        }
        else
        {
            topCandidate = ClimbToBestAncestor(top5, scores, body);
        }

        // 5. Collect the top candidate and the siblings that look like part of the same article.
        cancellationToken.ThrowIfCancellationRequested();
        var content = new List<INode>();
        if (wholeBody || topCandidate.ParentElement is null)
        {
            content.Add(topCandidate);
        }
        else
        {
            double topScore = scores.GetOrDefault(topCandidate);
            double threshold = Math.Max(10, topScore * 0.2);
            string topClass = topCandidate.ClassName ?? "";
            foreach (var sibling in topCandidate.ParentElement.Children.ToArray())
            {
                if (sibling == topCandidate)
                {
                    content.Add(sibling);
                    continue;
                }

                double bonus = topClass.Length > 0 && sibling.ClassName == topClass ? topScore * 0.2 : 0;
                if (scores.TryGet(sibling, out double siblingScore) && siblingScore + bonus >= threshold)
                {
                    content.Add(sibling);
                }
                else if (sibling.LocalName == "p")
                {
                    var m = TextMeasure.Of(sibling);
                    if ((m.Length > 80 && m.LinkDensity < 0.25)
                        || (m.Length > 0 && m.Length < 80 && m.LinkLength == 0 && HtmlPatterns.SentenceEnd().IsMatch(sibling.TextContent)))
                    {
                        content.Add(sibling);
                    }
                }
            }
        }

        // 6. Clean the article: conditional removal of link lists, negative headers, share widgets.
        foreach (var node in content)
        {
            if (node is IElement el)
            {
                CleanArticle(el, flags);
            }
        }

        int textLength = 0;
        foreach (var node in content)
        {
            if (node.Parent is not null || node == topCandidate)
            {
                textLength += TextMeasure.Of(node).Length;
            }
        }

        return new ExtractedPage(title, content, textLength);
    }

    private static IElement ClimbToBestAncestor(List<(IElement El, double Score)> top5, CandidateScores scores, IElement body)
    {
        var topCandidate = top5[0].El;
        double topScore = top5[0].Score;

        // Several strong candidates under one ancestor: that ancestor is the article.
        var alternatives = new List<IElement>();
        for (int i = 1; i < top5.Count; i++)
        {
            if (topScore > 0 && top5[i].Score / topScore >= 0.75)
            {
                alternatives.Add(top5[i].El);
            }
        }

        if (alternatives.Count >= 3)
        {
            for (var parent = topCandidate.ParentElement; parent is not null && parent.LocalName != "body"; parent = parent.ParentElement)
            {
                int contained = 0;
                foreach (var alt in alternatives)
                {
                    if (parent.Contains(alt))
                    {
                        contained++;
                    }
                }

                if (contained >= 3)
                {
                    topCandidate = parent;
                    break;
                }
            }
        }

        // Scores flow upwards with a penalty; climb while the parent keeps a third of the score and overtakes it.
        double lastScore = scores.GetOrDefault(topCandidate);
        double scoreThreshold = lastScore / 3;
        for (var parent = topCandidate.ParentElement; parent is not null && parent.LocalName != "body"; parent = parent.ParentElement)
        {
            if (!scores.TryGet(parent, out double parentScore))
            {
                continue;
            }

            if (parentScore < scoreThreshold)
            {
                break;
            }

            if (parentScore > lastScore)
            {
                topCandidate = parent;
                break;
            }

            lastScore = parentScore;
        }

        // An only child stands for its parent.
        while (topCandidate.ParentElement is { } p && p != body && p.LocalName != "body" && p.ChildElementCount == 1)
        {
            topCandidate = p;
        }

        return topCandidate;
    }

    private static double InitialScore(IElement el, ExtractionFlags flags)
    {
        double score = el.LocalName switch
        {
            "div" => 5,
            "pre" or "td" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            _ => 0,
        };
        return score + ClassWeight(el, flags);
    }

    private static int ClassWeight(IElement el, ExtractionFlags flags)
    {
        if ((flags & ExtractionFlags.WeightClasses) == 0)
        {
            return 0;
        }

        int weight = 0;
        string? cls = el.ClassName;
        if (!string.IsNullOrEmpty(cls))
        {
            if (HtmlPatterns.Negative().IsMatch(cls))
            {
                weight -= 25;
            }

            if (HtmlPatterns.Positive().IsMatch(cls))
            {
                weight += 25;
            }
        }

        string id = el.Id ?? "";
        if (id.Length > 0)
        {
            if (HtmlPatterns.Negative().IsMatch(id))
            {
                weight -= 25;
            }

            if (HtmlPatterns.Positive().IsMatch(id))
            {
                weight += 25;
            }
        }

        return weight;
    }

    private static void RemoveNonContent(IElement root)
    {
        var doomed = new List<IElement>();
        var stack = new Stack<IElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var el = stack.Pop();
            if (el != root && IsNonContent(el))
            {
                doomed.Add(el);
                continue;
            }

            PushChildren(stack, el);
        }

        foreach (var el in doomed)
        {
            el.Remove();
        }

        // Comments carry no content either.
        var comments = new List<INode>();
        CollectComments(root, comments);
        foreach (var c in comments)
        {
            c.Parent?.RemoveChild(c);
        }
    }

    private static void CollectComments(INode node, List<INode> into)
    {
        var children = node.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child.NodeType == NodeType.Comment)
            {
                into.Add(child);
            }
            else if (child.NodeType == NodeType.Element)
            {
                CollectComments(child, into);
            }
        }
    }

    private static bool IsNonContent(IElement el)
    {
        string tag = el.LocalName;
        if (HtmlTags.Dropped.Contains(tag))
        {
            return true;
        }

        if (el.HasAttribute("hidden") || string.Equals(el.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string? style = el.GetAttribute("style");
        return style is not null && style.Length > 8 && HtmlPatterns.HiddenStyle().IsMatch(style);
    }

    private static void Prepare(IHtmlDocument doc, IElement body, ExtractionFlags flags, List<IElement> toScore)
    {
        var stack = new Stack<IElement>();
        PushChildren(stack, body);

        while (stack.Count > 0)
        {
            var el = stack.Pop();
            if (el.Parent is null)
            {
                continue;
            }

            string tag = el.LocalName;
            if ((flags & ExtractionFlags.StripUnlikely) != 0 && IsUnlikely(el, tag))
            {
                el.Remove();
                continue;
            }

            if (tag is "div" or "section" or "header" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" && IsWithoutContent(el))
            {
                el.Remove();
                continue;
            }

            if (TagsToScore.Contains(tag))
            {
                toScore.Add(el);
            }

            if (tag == "div")
            {
                // A div holding a single paragraph (and little link text) is that paragraph.
                if (el.ChildElementCount == 1 && el.Children[0].LocalName == "p" && OnlyWhitespaceText(el) && TextMeasure.Of(el).LinkDensity < 0.25)
                {
                    var p = el.Children[0];
                    el.Parent!.ReplaceChild(p, el);
                    toScore.Add(p);
                    PushChildren(stack, p);
                    continue;
                }

                if (!HasBlockDescendant(el))
                {
                    var p = Rename(doc, el, "p");
                    toScore.Add(p);
                    continue;
                }

                WrapPhrasingRuns(doc, el);
            }

            PushChildren(stack, el);
        }
    }

    private static void PushChildren(Stack<IElement> stack, IElement el)
    {
        // ChildNodes is array-backed; Children and NextSibling rescan the parent on every call.
        var children = el.ChildNodes;
        for (int i = children.Length - 1; i >= 0; i--)
        {
            if (children[i] is IElement child)
            {
                stack.Push(child);
            }
        }
    }

    private static bool IsUnlikely(IElement el, string tag)
    {
        string? role = el.GetAttribute("role");
        if (role is not null && HtmlTags.UnlikelyRoles.Contains(role))
        {
            return true;
        }

        if (tag is "body" or "a" or "html" or "article" or "main")
        {
            return false;
        }

        string cls = el.ClassName ?? "";
        string id = el.Id ?? "";
        if (cls.Length == 0 && id.Length == 0)
        {
            return false;
        }

        string match = cls + " " + id;
        if (!HtmlPatterns.UnlikelyCandidates().IsMatch(match) || HtmlPatterns.MaybeCandidate().IsMatch(match))
        {
            return false;
        }

        for (var anc = el.ParentElement; anc is not null; anc = anc.ParentElement)
        {
            if (anc.LocalName is "table" or "code")
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWithoutContent(IElement el)
    {
        foreach (var child in el.Children)
        {
            if (child.LocalName is not ("br" or "hr"))
            {
                return false;
            }
        }

        return string.IsNullOrWhiteSpace(el.TextContent);
    }

    private static bool OnlyWhitespaceText(IElement el)
    {
        var children = el.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child.NodeType == NodeType.Text && !string.IsNullOrWhiteSpace(child.TextContent))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasBlockDescendant(IElement el)
    {
        var children = el.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            if (children[i] is IElement child && (DivToPElements.Contains(child.LocalName) || HasBlockDescendant(child)))
            {
                return true;
            }
        }

        return false;
    }

    private static IElement Rename(IHtmlDocument doc, IElement el, string tag)
    {
        // Only class and id matter from here on (scoring); other attribute names may not even be valid to set.
        var replacement = doc.CreateElement(tag);
        if (el.ClassName is { Length: > 0 } cls)
        {
            replacement.ClassName = cls;
        }

        if (el.Id is { Length: > 0 } id)
        {
            replacement.Id = id;
        }

        while (el.FirstChild is { } child)
        {
            replacement.AppendChild(child);
        }

        el.Parent!.ReplaceChild(replacement, el);
        return replacement;
    }

    /// <summary>Text and inline elements directly inside a div with block children become paragraphs, so they score.</summary>
    private static void WrapPhrasingRuns(IHtmlDocument doc, IElement div)
    {
        IElement? current = null;
        foreach (var child in div.ChildNodes.ToArray())
        {
            bool phrasing = child.NodeType == NodeType.Text
                || (child is IElement ce && PhrasingTags.Contains(ce.LocalName) && !HasBlockDescendant(ce));
            if (phrasing)
            {
                if (current is null)
                {
                    if (child.NodeType == NodeType.Text && string.IsNullOrWhiteSpace(child.TextContent))
                    {
                        continue;
                    }

                    current = doc.CreateElement("p");
                    div.InsertBefore(current, child);
                }

                current.AppendChild(child);
            }
            else if (child.NodeType != NodeType.Comment)
            {
                current = null;
            }
        }
    }

    private static void CleanArticle(IElement article, ExtractionFlags flags)
    {
        // Share widgets: short elements named "share".
        foreach (var el in article.QuerySelectorAll("*").ToArray())
        {
            string match = (el.ClassName ?? "") + " " + (el.Id ?? "");
            if (match.Length > 1 && HtmlPatterns.ShareElement().IsMatch(match) && TextMeasure.Of(el).Length < 500)
            {
                el.Remove();
            }
        }

        // Headers with a negative class weight are chrome.
        foreach (var h in article.QuerySelectorAll("h1, h2").ToArray())
        {
            if (ClassWeight(h, flags) < 0)
            {
                h.Remove();
            }
        }

        if ((flags & ExtractionFlags.CleanConditionally) == 0)
        {
            return;
        }

        // Whether a table holds data is asked again for every element inside it: answer once per table.
        var dataTables = new Dictionary<IElement, bool>(ReferenceEqualityComparer.Instance);
        foreach (string tag in (string[])["fieldset", "table", "ul", "div"])
        {
            var nodes = article.GetElementsByTagName(tag).ToArray();
            for (int i = nodes.Length - 1; i >= 0; i--)
            {
                var node = nodes[i];
                if (node.Parent is not null && ShouldRemoveConditionally(node, tag, flags, dataTables))
                {
                    node.Remove();
                }
            }
        }
    }

    private static bool ShouldRemoveConditionally(IElement node, string tag, ExtractionFlags flags, Dictionary<IElement, bool> dataTables)
    {
        bool IsData(IElement table)
        {
            if (!dataTables.TryGetValue(table, out bool data))
            {
                data = IsDataTable(table);
                dataTables[table] = data;
            }

            return data;
        }

        var measure = TextMeasure.Of(node);
        bool isList = tag is "ul" or "ol";
        if (!isList && measure.Length > 0)
        {
            int listLength = 0;
            foreach (var list in node.QuerySelectorAll("ul, ol"))
            {
                listLength += TextMeasure.Of(list).Length;
            }

            isList = listLength / (double)measure.Length > 0.9;
        }

        if (tag == "table" && IsData(node))
        {
            return false;
        }

        for (var anc = node.ParentElement; anc is not null; anc = anc.ParentElement)
        {
            if ((anc.LocalName == "table" && IsData(anc)) || anc.LocalName is "code" or "pre")
            {
                return false;
            }
        }

        foreach (var table in node.GetElementsByTagName("table"))
        {
            if (IsData(table))
            {
                return false;
            }
        }

        int weight = ClassWeight(node, flags);
        if (weight < 0)
        {
            return true;
        }

        if (measure.Commas >= 10)
        {
            return false;
        }

        int p = node.GetElementsByTagName("p").Length;
        int img = node.GetElementsByTagName("img").Length;
        int li = node.GetElementsByTagName("li").Length - 100;
        int input = node.GetElementsByTagName("input").Length;
        bool isFigureChild = false;
        for (var anc = node.ParentElement; anc is not null; anc = anc.ParentElement)
        {
            if (anc.LocalName == "figure")
            {
                isFigureChild = true;
                break;
            }
        }

        // Cheap tests first; heading and text densities only when they can decide.
        double linkDensity = measure.LinkDensity;
        bool remove =
            (!isFigureChild && img > 1 && p / (double)img < 0.5)
            || (!isList && li > p)
            || (input > p / 3)
            || (!isList && weight < 25 && linkDensity > 0.2)
            || (weight >= 25 && linkDensity > 0.5)
            || (!isList && !isFigureChild && measure.Length < 25 && (img == 0 || img > 2) && linkDensity > 0 && HeadingDensity(node, measure) < 0.9)
            || (img == 0 && measure.Length > 0 && !HasTextishDescendant(node));

        if (isList && remove)
        {
            foreach (var child in node.Children)
            {
                if (child.ChildElementCount > 1)
                {
                    return remove;
                }
            }

            if (img == node.GetElementsByTagName("li").Length)
            {
                return false;
            }
        }

        return remove;
    }

    private static double HeadingDensity(IElement node, TextMeasure measure)
    {
        int headingLength = 0;
        foreach (var h in node.QuerySelectorAll("h1, h2, h3, h4, h5, h6"))
        {
            headingLength += TextMeasure.Of(h).Length;
        }

        return measure.Length == 0 ? 0 : headingLength / (double)measure.Length;
    }

    /// <summary>Readability's "text density 0": no span, li, td or block child carries any text.</summary>
    private static bool HasTextishDescendant(IElement node)
    {
        var children = node.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            if (children[i] is not IElement child)
            {
                continue;
            }

            if (child.LocalName is "span" or "li" or "td" or "blockquote" or "dl" or "div" or "img" or "ol" or "p" or "pre" or "table" or "ul")
            {
                if (!string.IsNullOrWhiteSpace(child.TextContent))
                {
                    return true;
                }
            }
            else if (HasTextishDescendant(child))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDataTable(IElement table)
    {
        if (string.Equals(table.GetAttribute("role"), "presentation", StringComparison.OrdinalIgnoreCase)
            || table.GetAttribute("datatable") == "0")
        {
            return false;
        }

        if (!string.IsNullOrEmpty(table.GetAttribute("summary")))
        {
            return true;
        }

        foreach (var child in table.Children)
        {
            if (child.LocalName == "caption" && !string.IsNullOrWhiteSpace(child.TextContent))
            {
                return true;
            }
        }

        if (table.QuerySelector("col, colgroup, tfoot, thead, th") is not null)
        {
            return true;
        }

        if (table.QuerySelector("table") is not null)
        {
            return false;
        }

        int rows = 0;
        int columns = 0;
        foreach (var tr in table.GetElementsByTagName("tr"))
        {
            rows++;
            int cells = 0;
            foreach (var cell in tr.Children)
            {
                if (cell.LocalName is "td" or "th")
                {
                    cells += int.TryParse(cell.GetAttribute("colspan"), out int span) && span > 0 ? span : 1;
                }
            }

            columns = Math.Max(columns, cells);
        }

        if (rows == 1 || columns == 1)
        {
            return false;
        }

        return rows >= 10 || columns > 4 || rows * columns > 10;
    }
}
