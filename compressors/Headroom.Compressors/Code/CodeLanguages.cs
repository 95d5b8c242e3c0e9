namespace Headroom.Compressors.Code;

/// <summary>Maps language hints (names, file extensions, fence tags) to <see cref="CodeLanguage"/>, and guesses from content.</summary>
internal static class CodeLanguages
{
    public static CodeLanguage FromHint(string? hint)
    {
        if (string.IsNullOrWhiteSpace(hint))
        {
            return CodeLanguage.Unknown;
        }

        string h = hint.Trim().TrimStart('.').ToLowerInvariant();
        int dot = h.LastIndexOf('.');
        if (dot >= 0)
        {
            h = h[(dot + 1)..];
        }

        return h switch
        {
            "csharp" or "c#" or "cs" => CodeLanguage.CSharp,
            "python" or "py" or "python3" or "pyi" => CodeLanguage.Python,
            "javascript" or "js" or "mjs" or "cjs" or "jsx" or "node" => CodeLanguage.JavaScript,
            "typescript" or "ts" or "tsx" or "mts" or "cts" => CodeLanguage.TypeScript,
            "java" => CodeLanguage.Java,
            "go" or "golang" => CodeLanguage.Go,
            "rust" or "rs" => CodeLanguage.Rust,
            "c" or "h" => CodeLanguage.C,
            "cpp" or "c++" or "cc" or "cxx" or "hpp" or "hh" or "hxx" => CodeLanguage.Cpp,
            "kotlin" or "kt" or "kts" => CodeLanguage.Kotlin,
            "swift" => CodeLanguage.Swift,
            _ => CodeLanguage.Unknown,
        };
    }

    /// <summary>A cheap guess from the first lines' tell-tale keywords; Unknown when nothing is clear.</summary>
    public static CodeLanguage Guess(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 8192));
        if (head.Contains("\npackage main", StringComparison.Ordinal) || (head.StartsWith("package ") && head.Contains("\nfunc ", StringComparison.Ordinal))
            || head.Contains("\nfunc (", StringComparison.Ordinal))
        {
            return CodeLanguage.Go;
        }

        if (head.Contains("\nfn ", StringComparison.Ordinal) || head.Contains("pub fn ", StringComparison.Ordinal) || head.Contains("\nuse std::", StringComparison.Ordinal)
            || head.Contains("impl<", StringComparison.Ordinal))
        {
            return CodeLanguage.Rust;
        }

        if (head.Contains("\ndef ", StringComparison.Ordinal) || head.Contains("\n    def ", StringComparison.Ordinal) || head.StartsWith("import ") && head.Contains(":\n", StringComparison.Ordinal) && !head.Contains(';'))
        {
            return CodeLanguage.Python;
        }

        if (head.Contains("namespace ", StringComparison.Ordinal) && (head.Contains("using System", StringComparison.Ordinal) || head.Contains("public sealed ", StringComparison.Ordinal) || head.Contains("internal ", StringComparison.Ordinal)))
        {
            return CodeLanguage.CSharp;
        }

        if (head.Contains("\npackage ", StringComparison.Ordinal) || head.StartsWith("package ") || head.Contains("\nimport java.", StringComparison.Ordinal))
        {
            return head.Contains("\nfun ", StringComparison.Ordinal) ? CodeLanguage.Kotlin : CodeLanguage.Java;
        }

        if (head.Contains("#include", StringComparison.Ordinal))
        {
            return head.Contains("std::", StringComparison.Ordinal) || head.Contains("class ", StringComparison.Ordinal) || head.Contains("namespace ", StringComparison.Ordinal)
                ? CodeLanguage.Cpp
                : CodeLanguage.C;
        }

        if (head.Contains("interface ", StringComparison.Ordinal) && head.Contains(": ", StringComparison.Ordinal) && (head.Contains("export ", StringComparison.Ordinal) || head.Contains("import {", StringComparison.Ordinal)))
        {
            return CodeLanguage.TypeScript;
        }

        if (head.Contains("require(", StringComparison.Ordinal) || head.Contains("module.exports", StringComparison.Ordinal) || head.Contains("function ", StringComparison.Ordinal)
            || head.Contains("export ", StringComparison.Ordinal) || head.Contains("const ", StringComparison.Ordinal) && head.Contains("=>", StringComparison.Ordinal))
        {
            return CodeLanguage.JavaScript;
        }

        return CodeLanguage.Unknown;
    }

    /// <summary>The line-comment opener for marker lines.</summary>
    public static string LineComment(CodeLanguage language) => language == CodeLanguage.Python ? "#" : "//";
}
