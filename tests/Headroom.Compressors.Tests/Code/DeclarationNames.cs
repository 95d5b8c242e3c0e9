using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Headroom.Compressors.Tests.Code;

/// <summary>
/// An oracle for "which declaration names must survive", independent of the compressor's lexer:
/// per-language line regexes over the original text (Roslyn for C#). It looks at declarations at module level and
/// one level in (class, impl and trait members), by indentation, so statements inside bodies are not
/// taken for declarations.
/// </summary>
internal static partial class DeclarationNames
{
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "if", "for", "while", "switch", "return", "new", "catch", "synchronized", "super", "this", "throw", "else", "do", "try",
        "constructor", "function", "get", "set", "static", "async", "await", "typeof", "assert", "yield", "case", "default",
    };

    public static IReadOnlyList<string> Of(string language, string text)
    {
        if (language == "csharp")
        {
            return CSharpNames(text);
        }

        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool inContainer = language == "java";
        int memberIndent = -1;
        bool inTripleQuote = false;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (language == "python")
            {
                // Docstring prose ("class name of the node") is not a declaration.
                bool wasInside = inTripleQuote;
                int quotes = CountOf(line, "\"\"\"") + CountOf(line, "\'\'\'");
                inTripleQuote ^= quotes % 2 == 1;
                if (wasInside || inTripleQuote)
                {
                    continue;
                }
            }

            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && OpensDeclaration(line))
            {
                // Members (indented lines) count only inside a module-level type: not nested functions inside a function.
                inContainer = language == "java" || ContainerOpener(language).IsMatch(line);
                memberIndent = -1;
            }

            int indent = line.Length - line.TrimStart().Length;
            if (indent > 0 && indent < line.Length)
            {
                // The first indented line of a container fixes its member indentation; deeper lines are inside bodies.
                memberIndent = memberIndent < 0 ? indent : memberIndent;
                if (!inContainer || indent != memberIndent)
                {
                    continue;
                }
            }

            foreach (var name in FromLine(language, line))
            {
                if (name.Length > 1 && !NotNames.Contains(name) && seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>C# through Roslyn: type, method and property names outside bodies.</summary>
    private static List<string> CSharpNames(string text)
    {
        var names = new List<string>();
        var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text).GetRoot();
        foreach (var node in root.DescendantNodes(n => n is not BlockSyntax and not ArrowExpressionClauseSyntax))
        {
            string? name = node switch
            {
                BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
                MethodDeclarationSyntax m => m.Identifier.ValueText,
                PropertyDeclarationSyntax p => p.Identifier.ValueText,
                _ => null,
            };
            if (name is { Length: > 1 } && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static int CountOf(string line, string what)
    {
        int n = 0;
        for (int at = line.IndexOf(what, StringComparison.Ordinal); at >= 0; at = line.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static bool OpensDeclaration(string line) =>
        line[0] is not ('}' or ')' or ']' or '#' or '@' or '/' or '*') && !line.StartsWith("\"\"\"", StringComparison.Ordinal);

    private static Regex ContainerOpener(string language) => language switch
    {
        "python" => PyClass(),
        "rust" => RustContainer(),
        _ => TsContainer(),
    };

    [GeneratedRegex(@"^class\s")]
    private static partial Regex PyClass();

    [GeneratedRegex(@"^(pub(\([^)]*\))?\s+)?(unsafe\s+)?(impl\b|trait\s|mod\s|extern\s)")]
    private static partial Regex RustContainer();

    [GeneratedRegex(@"^(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?(class|interface|namespace|module)\s")]
    private static partial Regex TsContainer();

    /// <summary>Names of <paramref name="names"/> that do not occur as a whole word in <paramref name="output"/>.</summary>
    public static List<string> Missing(IEnumerable<string> names, string output) =>
        names.Where(n => !Regex.IsMatch(output, @"(?<![\w$])" + Regex.Escape(n) + @"(?![\w$])")).ToList();

    private static IEnumerable<string> FromLine(string language, string line)
    {
        Regex[] patterns = language switch
        {
            "go" => [GoFunc(), GoType(), GoValue()],
            "rust" => [RustItem(), RustMacro()],
            "java" => [JavaType(), JavaMethod()],
            "typescript" or "javascript" => [TsTop(), TsMember()],
            "python" => [PyDef()],
            _ => [],
        };
        foreach (var p in patterns)
        {
            var m = p.Match(line);
            if (m.Success)
            {
                yield return m.Groups["name"].Value;
            }
        }
    }

    [GeneratedRegex(@"^func\s+(\([^)]*\)\s*)?(?<name>[A-Za-z_]\w*)")]
    private static partial Regex GoFunc();

    [GeneratedRegex(@"^type\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex GoType();

    [GeneratedRegex(@"^(var|const)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex GoValue();

    [GeneratedRegex(@"^( {4})?(pub(\([^)]*\))?\s+)?((default|unsafe|async|const|extern(\s+""\w+"")?)\s+)*(fn|struct|enum|trait|type|mod|union|static)\s+(mut\s+)?(?<name>[A-Za-z_]\w*)")]
    private static partial Regex RustItem();

    [GeneratedRegex(@"^macro_rules!\s*(?<name>[A-Za-z_]\w*)")]
    private static partial Regex RustMacro();

    [GeneratedRegex(@"^( {4})?((public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\s+)*(class|interface|enum|record|@interface)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex JavaType();

    [GeneratedRegex(@"^ {4}((public|protected|private|static|final|abstract|synchronized|native|default|strictfp)\s+)*(<[^>]+>\s+)?[\w<>\[\],.?]+(\s*<[^=;()]*>)?(\[\])*\s+(?<name>[A-Za-z_]\w*)\s*\(")]
    private static partial Regex JavaMethod();

    [GeneratedRegex(@"^(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace)\s+(?<name>[A-Za-z_$][\w$]*)")]
    private static partial Regex TsTop();

    [GeneratedRegex(@"^( {2}| {4})((public|private|protected|static|readonly|async|override|abstract|get|set)\s+)*\*?(?<name>[A-Za-z_$][\w$]*)\s*(<[^>]*>)?\(")]
    private static partial Regex TsMember();

    [GeneratedRegex(@"^( {4})?((async\s+)?def|class)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex PyDef();
}
