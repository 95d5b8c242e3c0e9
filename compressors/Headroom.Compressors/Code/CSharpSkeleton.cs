using Headroom.Compressors.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Headroom.Compressors.Code;

/// <summary>
/// C# through Roslyn: usings, namespaces, types, member signatures and attributes stay; block
/// bodies of methods, constructors, operators, accessors and local functions become a marker
/// comment; doc comments keep their first line of text.
/// </summary>
internal static class CSharpSkeleton
{
    public static List<Elision> Plan(string input, SyntaxTree tree, QueryTerms query, int minBodyLines, int minBodyChars)
    {
        var root = tree.GetRoot();
        var lines = tree.GetText().Lines;
        var elisions = new List<Elision>();

        // 1. Bodies of members, reached through namespaces and types only (never inside a body).
        var pending = new Stack<SyntaxNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            foreach (var child in node.ChildNodes())
            {
                switch (child)
                {
                    case BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                        pending.Push(child);
                        break;
                    case BaseMethodDeclarationSyntax m when m.Body is not null:
                        TryBody(m.Body, Name(m), elisions);
                        break;
                    case BasePropertyDeclarationSyntax p when p.AccessorList is not null:
                        foreach (var accessor in p.AccessorList.Accessors)
                        {
                            if (accessor.Body is not null)
                            {
                                TryBody(accessor.Body, PropertyName(p) + "." + accessor.Keyword.ValueText, elisions);
                            }
                        }

                        break;
                    case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f } when f.Body is not null:
                        TryBody(f.Body, f.Identifier.ValueText, elisions);
                        break;
                }
            }
        }

        // 2. Doc comments: keep the first line that carries text, drop the rest.
        foreach (var trivia in root.DescendantTrivia(n => n is not BlockSyntax))
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
            {
                PlanDocComment(input, lines, trivia, elisions);
            }
        }

        elisions.Sort((a, b) => a.Start.CompareTo(b.Start));
        return RemoveOverlaps(elisions);

        void TryBody(BlockSyntax body, string name, List<Elision> into)
        {
            int open = lines.GetLineFromPosition(body.OpenBraceToken.SpanStart).LineNumber;
            int close = lines.GetLineFromPosition(body.CloseBraceToken.SpanStart).LineNumber;
            if (close - open - 1 < minBodyLines || (body.ContainsDirectives && !OnlyWarningPragmas(body)) || body.OpenBraceToken.IsMissing || body.CloseBraceToken.IsMissing)
            {
                return;
            }

            // The brace must end its line and the closing brace must start its line, so whole lines go.
            var next = body.OpenBraceToken.GetNextToken();
            var prev = body.CloseBraceToken.GetPreviousToken();
            if (lines.GetLineFromPosition(next.SpanStart).LineNumber == open
                || lines.GetLineFromPosition(prev.Span.End).LineNumber == close
                || HasCodeBefore(input, lines[close].Start, body.CloseBraceToken.SpanStart))
            {
                return;
            }

            int start = lines[open + 1].Start;
            int end = lines[close].Start;
            if (!ElisionCost.Pays(input, start, end, minBodyChars) || query.MatchesName(name) || query.MatchesText(input.AsSpan(start, end - start)))
            {
                return;
            }

            into.Add(new Elision(start, end, close - open - 1, IndentOf(input, start, end), name, ElisionKind.Body));
        }
    }

    /// <summary>
    /// True when the only directives in <paramref name="body"/> are <c>#pragma warning</c>: they change which
    /// warnings a compiler reports, never what the code means or how it parses, so the body can go with them.
    /// Any other directive (<c>#if</c>, <c>#region</c>, ...) may pair with one outside the body: kept whole.
    /// </summary>
    private static bool OnlyWarningPragmas(BlockSyntax body)
    {
        foreach (var trivia in body.DescendantTrivia(descendIntoTrivia: false))
        {
            if (trivia.IsDirective && !trivia.IsKind(SyntaxKind.PragmaWarningDirectiveTrivia))
            {
                return false;
            }
        }

        return true;
    }

    private static void PlanDocComment(string input, Microsoft.CodeAnalysis.Text.TextLineCollection lines, SyntaxTrivia trivia, List<Elision> into)
    {
        int first = lines.GetLineFromPosition(trivia.SpanStart).LineNumber;
        int last = lines.GetLineFromPosition(Math.Max(trivia.SpanStart, trivia.Span.End - 1)).LineNumber;
        if (last <= first)
        {
            return;
        }

        int keep = -1;
        for (int l = first; l <= last; l++)
        {
            var text = input.AsSpan(lines[l].Start, lines[l].End - lines[l].Start).Trim();
            if (!text.StartsWith("///"))
            {
                return;
            }

            if (keep < 0 && HasProse(text[3..]))
            {
                keep = l;
            }
        }

        keep = keep < 0 ? first : keep;
        string indent = IndentOf(input, lines[first].Start, lines[first].End);
        if (keep > first)
        {
            into.Add(new Elision(lines[first].Start, lines[keep].Start, keep - first, indent, null, ElisionKind.DocLines));
        }

        if (keep < last)
        {
            int end = last + 1 < lines.Count ? lines[last + 1].Start : input.Length;
            into.Add(new Elision(lines[keep + 1].Start, end, last - keep, indent, null, ElisionKind.DocLines));
        }
    }

    /// <summary>Text outside XML tags (a summary sentence rather than "&lt;summary&gt;").</summary>
    private static bool HasProse(ReadOnlySpan<char> text)
    {
        bool inTag = false;
        foreach (char c in text)
        {
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>')
            {
                inTag = false;
            }
            else if (!inTag && char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    internal static List<Elision> RemoveOverlaps(List<Elision> sorted)
    {
        var result = new List<Elision>(sorted.Count);
        int end = -1;
        foreach (var e in sorted)
        {
            if (e.Start >= end)
            {
                result.Add(e);
                end = e.End;
            }
        }

        return result;
    }

    internal static string IndentOf(string input, int start, int end)
    {
        // Indentation of the first non-blank line in [start, end).
        int lineStart = start;
        while (lineStart < end)
        {
            int i = lineStart;
            while (i < end && input[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < end && input[i] != '\n' && input[i] != '\r')
            {
                return input[lineStart..i];
            }

            int nl = input.IndexOf('\n', i);
            if (nl < 0 || nl >= end)
            {
                break;
            }

            lineStart = nl + 1;
        }

        return "    ";
    }

    private static bool HasCodeBefore(string input, int lineStart, int position)
    {
        for (int i = lineStart; i < position; i++)
        {
            if (!char.IsWhiteSpace(input[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Name(BaseMethodDeclarationSyntax m) => m switch
    {
        MethodDeclarationSyntax x => x.Identifier.ValueText,
        ConstructorDeclarationSyntax x => x.Identifier.ValueText,
        DestructorDeclarationSyntax x => "~" + x.Identifier.ValueText,
        OperatorDeclarationSyntax x => "operator " + x.OperatorToken.ValueText,
        ConversionOperatorDeclarationSyntax x => "operator " + x.Type,
        _ => "member",
    };

    private static string PropertyName(BasePropertyDeclarationSyntax p) => p switch
    {
        PropertyDeclarationSyntax x => x.Identifier.ValueText,
        EventDeclarationSyntax x => x.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        _ => "property",
    };
}
