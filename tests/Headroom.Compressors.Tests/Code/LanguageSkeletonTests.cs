using System.Diagnostics;
using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Code;

public sealed class LanguageSkeletonTests
{
    private const string Hash = "00112233445566778899aabb";

    [Fact]
    public void Python_KeepsSignaturesDecoratorsAndFirstDocstringLine()
    {
        string source = CodeFixtures.Python();
        var result = Compress(source, "python");
        string output = result.Output;

        Assert.True(result.Lossy);
        Assert.Contains("import os\nfrom typing import List", output, StringComparison.Ordinal);
        Assert.Contains("@decorator(option=True)\nclass Greeter:", output, StringComparison.Ordinal);
        Assert.Contains("    @property\n    def handle_retry_backoff(self):\n        ...  # … 15 lines (body of handle_retry_backoff)\n", output, StringComparison.Ordinal);
        Assert.Contains("    async def fetch(self,\n                    url: str) -> List[str]:\n        \"\"\"Fetch a URL.\"\"\"\n        # … 14 lines (body of fetch)\n", output, StringComparison.Ordinal);
        Assert.Contains("def top_level(a, b):\n    '''Add two numbers.\n    '''\n    # [headroom: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not code", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Longer explanation", output, StringComparison.Ordinal);
        Assert.Contains("if __name__ == \"__main__\":\n    print(top_level(1, 2))", output, StringComparison.Ordinal);
        Assert.True(IndentationIsValid(output), output);
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void Python_OutputParsesWithPython3()
    {
        string output = Compress(CodeFixtures.Python(), "python").Output;
        string file = Path.Combine(Path.GetTempPath(), $"headroom-skeleton-{Environment.ProcessId}.py");
        File.WriteAllText(file, output);
        try
        {
            int? exit = Run("python3", "-c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" " + file);
            Assert.True(exit is not null, "python3 is not installed (Debian package python3); this test needs it to parse the skeleton.");
            Assert.True(exit == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("javascript", "function createApp(options) {", "handleRetryBackoff")]
    [InlineData("go", "func (s *Server) Start(port int) error {", "helper")]
    [InlineData("rust", "pub fn new(input: &'a str) -> Self {", "lifetimes")]
    public void BraceLanguages_ElideBodiesAndStayBalanced(string language, string signature, string otherName)
    {
        string source = language switch
        {
            "javascript" => CodeFixtures.JavaScript(),
            "go" => CodeFixtures.Go(),
            _ => CodeFixtures.Rust(),
        };
        var result = Compress(source, language);
        string output = result.Output;

        Assert.True(result.Lossy);
        Assert.Contains(signature + "\n", output, StringComparison.Ordinal);
        Assert.Contains(otherName, output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+// \[headroom: \d+ of \d+ lines omitted \(body of \w+\); full text: headroom_retrieve hash=" + Hash + @"\]\n", output);
        Assert.True(output.Length < source.Length / 2);
        Assert.True(BraceSkeleton.Balanced(BraceLexer.Blank(output, CodeLanguages.FromHint(language))));
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void JavaScript_ContainersStayAndDocCommentsShrinkToFirstLine()
    {
        string output = Compress(CodeFixtures.JavaScript(), "javascript").Output;

        Assert.Contains("class Router {\n  constructor() {\n    // … 11 lines (body of constructor)\n  }", output, StringComparison.Ordinal);
        Assert.Contains("/** Creates the app. */\nfunction createApp", output, StringComparison.Ordinal);
        Assert.Contains("doc comment lines after the first", output, StringComparison.Ordinal);
        Assert.Contains("module.exports = { createApp, Router };", output, StringComparison.Ordinal);
    }

    [Fact]
    public void JavaScript_OutputPassesNodeCheck()
    {
        string output = Compress(CodeFixtures.JavaScript(), "javascript").Output;
        string file = Path.Combine(Path.GetTempPath(), $"headroom-skeleton-{Environment.ProcessId}.js");
        File.WriteAllText(file, output);
        try
        {
            int? exit = Run("node", "--check " + file);
            Assert.True(exit is not null, "node is not installed (Debian package nodejs); this test needs it to check the skeleton.");
            Assert.True(exit == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("const a = `x ${ `nested ${ {b: 1}.b }` } {`;\nfunction f() {}\n", "javascript")]
    [InlineData("let s = \"{\\\"\"; let c = '}'; /* { */ // {\nfn f() {}\n", "rust")]
    [InlineData("fn f<'a>(x: &'a str) -> &'a str { let c = '{'; x }\n", "rust")]
    [InlineData("auto s = R\"x({)\")x\"; int n = 1'000; char c = '{';\n#define OPEN {\nvoid f() {}\n", "cpp")]
    [InlineData("String t = \"\"\"\n  { text block\n  \"\"\"; char c = '}';\nvoid f() {}\n", "java")]
    [InlineData("var s = `raw { string`\nvar r = '}'\nfunc f() {}\n", "go")]
    [InlineData("const r = /[}{]/.test(x) ? 1 : 2 / 3; function f() {}\n", "javascript")]
    public void Lexer_BlanksBracesInStringsCommentsAndLiterals(string source, string language)
    {
        var blank = new string(BraceLexer.Blank(source, CodeLanguages.FromHint(language)));

        Assert.Equal(source.Length, blank.Length);
        Assert.True(BraceSkeleton.Balanced(blank.ToCharArray()), blank);
        Assert.Equal(source.Count(c => c == '\n'), blank.Count(c => c == '\n'));
    }

    [Fact]
    public void Go_TableWhoseElementsHugTheBraces_KeepsTheFirstElementAndElidesTheRest()
    {
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"\tName:   \"case{i}\",\n\tInput:  \"a,b,c{i}\\n\",\n\tOutput: [][]string{{{{\"a\", \"b\", \"c{i}\"}}}},\n}}, {{\n"));
        string source = "package csv\n\nimport \"testing\"\n\ntype readTest struct {\n\tName   string\n\tInput  string\n\tOutput [][]string\n}\n\n"
            + "var readTests = []readTest{{\n" + rows + "\tName:  \"last\",\n\tInput: \"x\\n\",\n}}\n\n"
            + "func TestRead(t *testing.T) {\n\tfor _, tt := range readTests {\n\t\t_ = tt\n\t}\n}\n";

        var result = Compress(source, "go");
        string output = result.Output;

        Assert.True(result.Lossy);
        Assert.Contains("var readTests = []readTest{{\n\tName:   \"case0\",", output, StringComparison.Ordinal);
        Assert.DoesNotContain("case7", output, StringComparison.Ordinal);
        Assert.Contains("readTests", output[(output.IndexOf("case0", StringComparison.Ordinal) + 5)..], StringComparison.Ordinal);
        Assert.Contains("}}\n", output, StringComparison.Ordinal);
        Assert.Contains("func TestRead(t *testing.T) {", output, StringComparison.Ordinal);
        Assert.True(BraceSkeleton.Balanced(output.Where(c => c is '{' or '}' or '(' or ')' or '[' or ']').ToArray()), output);
        SpanAssert.Valid(source, result);
    }

    private static CompressorOutput Compress(string source, string language) =>
        new CodeCompressor().Compress(source, new CompressionRequest { Language = language, OriginalHash = Hash });

    /// <summary>Every indented line follows a line ending in ':' or an open bracket, or returns to an enclosing level.</summary>
    private static bool IndentationIsValid(string python)
    {
        var levels = new Stack<int>();
        levels.Push(0);
        bool expectIndent = false;
        foreach (var raw in python.Split('\n'))
        {
            string trimmed = raw.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            int indent = raw.Length - trimmed.Length;
            if (expectIndent)
            {
                if (indent <= levels.Peek())
                {
                    return false;
                }

                levels.Push(indent);
            }
            else if (indent > levels.Peek())
            {
                continue; // continuation line inside brackets or a string
            }
            else
            {
                while (indent < levels.Peek())
                {
                    levels.Pop();
                }

                if (indent != levels.Peek())
                {
                    return false;
                }
            }

            string code = trimmed.Split("  #")[0].TrimEnd();
            expectIndent = code.EndsWith(':');
        }

        return true;
    }

    private static int? Run(string exe, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, arguments) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (p is null)
            {
                return null;
            }

            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // interpreter not installed
        }
    }
}
