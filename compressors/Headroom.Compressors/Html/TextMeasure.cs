using AngleSharp.Dom;

namespace Headroom.Compressors.Html;

/// <summary>
/// Whitespace-normalised text statistics of a DOM subtree (length, text inside links, commas),
/// the inputs of Readability-style scoring. One pass over the subtree; no strings are built.
/// </summary>
internal readonly record struct TextMeasure(int Length, double LinkLength, int Commas)
{
    public double LinkDensity => Length == 0 ? 0 : LinkLength / Length;

    public static TextMeasure Of(INode node)
    {
        int length = 0;
        double linkLength = 0;
        int commas = 0;
        bool pendingSpace = false;
        Walk(node, 0, ref length, ref linkLength, ref commas, ref pendingSpace);
        return new TextMeasure(length, linkLength, commas);
    }

    private static void Walk(INode node, double linkWeight, ref int length, ref double linkLength, ref int commas, ref bool pendingSpace)
    {
        if (node.NodeType == NodeType.Text)
        {
            foreach (char c in node.TextContent)
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = length > 0;
                    continue;
                }

                int add = pendingSpace ? 2 : 1;
                pendingSpace = false;
                length += add;
                linkLength += add * linkWeight;
                if (c is ',' or '\u060C' or '\uFE50' or '\uFE10' or '\uFE11' or '\u2E41' or '\u2E34' or '\u2E32' or '\uFF0C')
                {
                    commas++;
                }
            }

            return;
        }

        if (node is IElement el && el.LocalName == "a" && linkWeight == 0)
        {
            string? href = el.GetAttribute("href");
            linkWeight = href is not null && href.Length > 1 && href[0] == '#' ? 0.3 : 1.0;
        }

        // ChildNodes is array-backed; NextSibling is a linear search in AngleSharp.
        var children = node.ChildNodes;
        for (int i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child.NodeType is NodeType.Text or NodeType.Element)
            {
                Walk(child, linkWeight, ref length, ref linkLength, ref commas, ref pendingSpace);
            }
        }
    }
}
