using System.Diagnostics;
using System.Text;
using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Headroom.Compressors.Tests.Code;

/// <summary>
/// Every literal and comment form of each claimed language: placed at declaration level it reaches the
/// output intact, and placed inside a body it does not confuse the skeleton (both bodies around it are
/// still found and cut, the output still balances or parses).
/// </summary>
public sealed class LiteralFormTests
{
    private const string Hash = "00112233445566778899aabb";

    public static TheoryData<string, string, string> Forms() => new()
    {
        { "go raw string over lines", "go", "var lit = `first { line \"q\" 'r'\n}} // not a comment /* nor this\n`" },
        { "go rune literals", "go", "var lit = []rune{'{', '\\'', '\"', '}', '`'}" },
        { "rust lifetimes", "rust", "const LIT: (char, &'static str) = ('{', \"}'\");\nstruct Holder<'a> { text: &'a str }" },
        { "rust raw strings", "rust", "const LIT: &str = r#\"he said \"}\" { \"#;\nconst LIT2: &str = r##\"a \"# b { \"##;" },
        { "rust byte strings", "rust", "const LIT: &[u8] = b\"{\\\"}\";\nconst LIT2: &[u8] = br\"{\\\";\nconst LIT3: u8 = b'}';" },
        { "rust string over lines", "rust", "const LIT: &str = \"first {\nsecond }}\";" },
        { "rust macros", "rust", "macro_rules! brace { ($x:expr) => {{ let _ = \"}\"; $x }}; }\nthread_local! { static DEPTH: u32 = 0; }" },
        { "java text block", "java", "    static final String LIT = \"\"\"\n        { \"json\": \"}\" }\n        \\\"\"\" still inside {\n        \"\"\";" },
        { "java char literals", "java", "    static final char[] LIT = { '\"', '{', '\\'', '}' };" },
        { "typescript template with nested holes", "typescript", "export const lit = `a ${ { k: `}` }.k } b ${ [1].map(() => { return \"}\"; }) } { tail`;" },
        { "typescript regex and strings", "typescript", "export const lit = /[}{]`/g.test('}') ? \"{\" : '`';" },
        { "csharp raw string", "csharp", "    public static readonly string Lit = \"\"\"\n        { \"a\": \"}\" }\n        \"\"\";" },
        { "csharp verbatim string", "csharp", "    public static readonly string Lit = @\"C:\\{dir}\\\"\"quoted\"\" }\";" },
        { "csharp interpolated strings", "csharp", "    public static readonly string Lit = $\"{(One > 0 ? \"}\" : \"{\")} {{x}}\" + $@\"{One}\\path\"\"{{\" + $$\"\"\"{ \"v\": {{One}} }\"\"\";" },
        { "python f-strings", "python", "LIT = f\"{ {'k': '}'}['k']} {{literal}} {3!r:>{4}}\" + rf'\\d{{2}}'" },
        { "python triple quotes", "python", "LIT = '''a \"\"\" b { def fake():\n    pass\n'''\nLIT2 = \"\"\"it's \"quoted\" }\"\"\"" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Literal_SurvivesIntactAndBodiesAroundItAreStillCut(string form, string language, string literal)
    {
        string source = Source(language, literal);
        var result = new CodeCompressor().Compress(source, new CompressionRequest { Language = language, OriginalHash = Hash });
        string output = result.Output;

        Assert.True(result.Lossy, form);
        Assert.Contains(literal, output, StringComparison.Ordinal);
        Assert.Contains(AfterSignature(language), output, StringComparison.Ordinal);
        Assert.DoesNotContain("first_filler_7", output, StringComparison.Ordinal);
        Assert.DoesNotContain("after_filler_7", output, StringComparison.Ordinal);
        SpanAssert.Valid(source, result);
        AssertStillValid(language, source, output);
    }

    [Theory]
    [InlineData("csharp interpolated strings")]
    [InlineData("csharp raw string")]
    [InlineData("csharp verbatim string")]
    public void CSharpLiteral_OnTheLexerPath_SurvivesIntact(string form)
    {
        string literal = (string)Forms().First(row => (string)row[0] == form)[2];
        string source = Source("csharp", literal);
        var result = new CodeCompressor(new CodeOptions { MaxRoslynChars = 100 }).Compress(source, new CompressionRequest { Language = "csharp", OriginalHash = Hash });

        Assert.Contains(literal, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("after_filler_7", result.Output, StringComparison.Ordinal);
        AssertStillValid("csharp", source, result.Output);
    }

    internal static string Source(string language, string literal)
    {
        string firstBody = Filler(language, "first_filler_", 40);
        string afterBody = Filler(language, "after_filler_", 40);
        string inBody = Indent(literal.Replace("const LIT", "let lit", StringComparison.Ordinal), language);
        return language switch
        {
            "go" => $"package demo\n\n{literal}\n\nfunc first(n int) int {{\n\t{inBody.TrimStart()}\n{firstBody}\treturn n\n}}\n\nfunc after(n int) int {{\n{afterBody}\treturn n\n}}\n",
            "rust" => $"use std::fmt;\n\n{literal}\n\nfn first(n: u32) -> u32 {{\n{firstBody}    n\n}}\n\nfn after<'a>(n: &'a u32) -> &'a u32 {{\n{afterBody}    n\n}}\n",
            "java" => $"package demo;\n\npublic final class Holder {{\n{literal}\n\n    static int first(int n) {{\n{firstBody}        return n;\n    }}\n\n    static int after(int n) {{\n{afterBody}        return n;\n    }}\n}}\n",
            "typescript" => $"import {{ x }} from './x';\n\n{literal}\n\nexport function first(n: number): number {{\n{firstBody}  return n;\n}}\n\nexport function after(n: number): number {{\n{afterBody}  return n;\n}}\n",
            "csharp" => $"namespace Demo;\n\npublic static class Holder\n{{\n    public const int One = 1;\n{literal}\n\n    public static int First(int n)\n    {{\n{firstBody}        return n;\n    }}\n\n    public static int After(int n)\n    {{\n{afterBody}        return n;\n    }}\n}}\n",
            _ => $"import os\n\n{literal}\n\n\ndef first(n):\n{firstBody}    return n\n\n\ndef after(n):\n{afterBody}    return n\n",
        };
    }

    private static string AfterSignature(string language) => language switch
    {
        "go" => "func after(n int) int {\n",
        "rust" => "fn after<'a>(n: &'a u32) -> &'a u32 {\n",
        "java" => "    static int after(int n) {\n",
        "typescript" => "export function after(n: number): number {\n",
        "csharp" => "    public static int After(int n)\n    {\n",
        _ => "def after(n):\n",
    };

    private static string Indent(string text, string language) => language == "go" ? text.Replace("var lit =", "lit :=", StringComparison.Ordinal) : text;

    private static string Filler(string language, string name, int lines)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            sb.Append(language switch
            {
                "go" => $"\t{name}{i} := n * {i}\n\t_ = {name}{i}\n",
                "rust" => $"    let {name}{i} = n * {i};\n",
                "java" or "csharp" => $"        int {name}{i} = n * {i};\n",
                "typescript" => $"  const {name}{i} = n * {i};\n",
                _ => $"    {name}{i} = n * {i}\n",
            });
        }

        return sb.ToString();
    }

    private static void AssertStillValid(string language, string source, string output)
    {
        switch (language)
        {
            case "csharp":
                int Errors(string text) => CSharpSyntaxTree.ParseText(text).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
                Assert.Equal(0, Errors(source));
                Assert.Equal(0, Errors(output));
                break;
            case "python":
                Assert.True(PythonParses(output), output);
                break;
            default:
                var lang = CodeLanguages.FromHint(language);
                Assert.True(BraceSkeleton.Balanced(BraceLexer.Blank(output, lang)), output);
                break;
        }
    }

    /// <summary>python3's own parser when installed; otherwise the check is the compressor's own scanner finding the same logical lines (weaker).</summary>
    private static bool PythonParses(string text)
    {
        string file = Path.Combine(Path.GetTempPath(), $"headroom-literal-{Environment.ProcessId}-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, text);
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", $"-c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" {file}") { RedirectStandardError = true });
            Assert.NotNull(p);
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
