using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// Top-level declaration names of a source file, found independently of the compressor: file-scope
/// functions/types/consts plus members of top-level types (Roslyn for C#, line patterns elsewhere).
/// </summary>
internal static partial class DeclarationNames
{
    public static List<string> Of(string text, string language)
    {
        var names = new List<string>();
        if (language == "csharp")
        {
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            foreach (var node in root.DescendantNodes(n => n is not BlockSyntax and not ArrowExpressionClauseSyntax))
            {
                switch (node)
                {
                    case BaseTypeDeclarationSyntax t: names.Add(t.Identifier.ValueText); break;
                    case MethodDeclarationSyntax m: names.Add(m.Identifier.ValueText); break;
                    case PropertyDeclarationSyntax p: names.Add(p.Identifier.ValueText); break;
                    case ConstructorDeclarationSyntax c: names.Add(c.Identifier.ValueText); break;
                }
            }

            return names;
        }

        bool inClass = false;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            Match m;
            switch (language)
            {
                case "python":
                    if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#' && line[0] != ')')
                    {
                        inClass = line.StartsWith("class ", StringComparison.Ordinal);
                    }

                    m = PythonDecl().Match(line);
                    if (m.Success && (m.Groups["indent"].Length == 0 || (inClass && m.Groups["indent"].Length == 4)))
                    {
                        names.Add(m.Groups["name"].Value);
                    }

                    break;
                case "go":
                    m = GoDecl().Match(line);
                    if (m.Success)
                    {
                        names.Add(m.Groups["name"].Value);
                    }

                    break;
                case "rust":
                    if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] is not ('}' or '/' or '#'))
                    {
                        inClass = RustContainer().IsMatch(line);
                    }

                    m = RustDecl().Match(line);
                    if (m.Success && (m.Groups["indent"].Length == 0 || (inClass && m.Groups["indent"].Length == 4)))
                    {
                        names.Add(m.Groups["name"].Value);
                    }

                    break;
                case "java":
                    m = JavaType().Match(line);
                    if (m.Success && m.Groups["indent"].Length <= 4)
                    {
                        names.Add(m.Groups["name"].Value);
                    }
                    else if ((m = JavaMethod().Match(line)).Success)
                    {
                        names.Add(m.Groups["name"].Value);
                    }

                    break;
                default: // javascript, typescript
                    m = JsDecl().Match(line);
                    if (m.Success)
                    {
                        names.Add(m.Groups["name"].Value);
                    }
                    else if ((m = JsMember().Match(line)).Success && !IsKeyword(m.Groups["name"].Value))
                    {
                        names.Add(m.Groups["name"].Value);
                    }

                    break;
            }
        }

        return names;
    }

    private static bool IsKeyword(string word) => word is "if" or "for" or "while" or "switch" or "return" or "catch" or "function" or "super" or "this" or "constructor" or "new" or "throw" or "await" or "typeof";

    [GeneratedRegex(@"^(?<indent>[ ]*)(async\s+)?(def|class)\s+(?<name>\w+)")]
    private static partial Regex PythonDecl();

    [GeneratedRegex(@"^(func\s+(\([^)]*\)\s*)?|type\s+|var\s+|const\s+)(?<name>[A-Za-z_]\w*)")]
    private static partial Regex GoDecl();

    [GeneratedRegex(@"^(?<indent>[ ]*)(pub(\([^)]*\))?\s+)?((async|const|unsafe|default)\s+|extern\s+""[^""]*""\s+)*(fn|struct|enum|trait|type|mod|static|union|macro_rules!)\s+(?<name>\w+)")]
    private static partial Regex RustDecl();

    [GeneratedRegex(@"^(pub(\([^)]*\))?\s+)?(unsafe\s+)?(impl|trait|mod|extern)")]
    private static partial Regex RustContainer();

    [GeneratedRegex(@"^(?<indent>[ ]*)((public|private|protected|static|final|abstract|sealed|non-sealed|strictfp)\s+)*(class|interface|enum|record|@interface)\s+(?<name>\w+)")]
    private static partial Regex JavaType();

    [GeneratedRegex(@"^    (?! )(@\w+\s+)*((public|private|protected|static|final|abstract|synchronized|native|default)\s+)*(<[^>]+>\s+)?[\w.<>\[\], ?]+\s+(?<name>\w+)\s*\(")]
    private static partial Regex JavaMethod();

    [GeneratedRegex(@"^(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace)\s+(?<name>[A-Za-z_$][\w$]*)")]
    private static partial Regex JsDecl();

    [GeneratedRegex(@"^  ((public|private|protected|static|async|get|set|readonly|abstract|override)\s+)*(?<name>[A-Za-z_$][\w$]*)\s*[(<]")]
    private static partial Regex JsMember();
}
