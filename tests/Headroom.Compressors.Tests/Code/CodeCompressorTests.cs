using Headroom.Compressors.Code;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Headroom.Compressors.Tests.Code;

public sealed class CodeCompressorTests
{
    private const string Hash = "00112233445566778899aabb";

    private const string TrickyStrings = """"

        public static class Strings
        {
            public static string V = $@"{{ ""{Helper("}")}"" }}";
            public static string R = """
                { raw
                """;
            public static char C = '{';
        #if DEBUG
            public static string D = "{";
        #endif
        }
        """";

    [Fact]
    public void CSharp_KeepsSignaturesAttributesAndFirstDocLine()
    {
        string source = CodeFixtures.CSharp();
        var result = Compress(source, "csharp");
        string output = result.Output;

        Assert.True(result.Lossy);
        Assert.Contains("using System.Collections.Generic;", output, StringComparison.Ordinal);
        Assert.Contains("namespace Demo.Parsing;", output, StringComparison.Ordinal);
        Assert.Contains("[Serializable]", output, StringComparison.Ordinal);
        Assert.Contains("[Obsolete(\"use ParseAll\")]", output, StringComparison.Ordinal);
        Assert.Contains("public bool ParseLine(string line)", output, StringComparison.Ordinal);
        Assert.Contains("/// Parses configuration files.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Second line of the summary", output, StringComparison.Ordinal);
        Assert.DoesNotContain("_values[\"k3\"]", output, StringComparison.Ordinal);
        Assert.Contains("public string Short() => \"short\";", output, StringComparison.Ordinal);
        Assert.Matches(@"\n        // \[headroom: \d+ of \d+ lines omitted \(body of ParseLine\); full text: headroom_retrieve hash=00112233445566778899aabb\]\n    \}", output);
        Assert.Contains("body of Count.get", output, StringComparison.Ordinal);
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void CSharp_BodyHoldingOnlyWarningPragmas_IsElided_OneHoldingIf_IsKept()
    {
        var filler = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"                var step{i} = Compute(input, {i}) + Offset(input, {i} * 7);"));
        string source = $$"""
            namespace Demo;

            public sealed class Runner
            {
                public int Guarded(int input)
                {
                    try
                    {
            {{filler}}
                        return input;
                    }
            #pragma warning disable CA1031 // the loop must outlive any failure
                    catch (Exception)
            #pragma warning restore CA1031
                    {
                        return 0;
                    }
                }

                public int Conditional(int input)
                {
            {{filler}}
            #if DEBUG
                    Console.WriteLine(input);
            #endif
                    return input;
                }
            }
            """;

        var result = Compress(source, "csharp");

        Assert.True(result.Output.Contains("body of Guarded", StringComparison.Ordinal), result.Output);
        Assert.DoesNotContain("#pragma", result.Output, StringComparison.Ordinal);
        Assert.Contains("#if DEBUG", result.Output, StringComparison.Ordinal); // may pair with a directive outside the body: kept
        Assert.DoesNotContain("body of Conditional", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(CSharpSyntaxTree.ParseText(result.Output).GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void CSharp_AddsNoSyntaxErrors()
    {
        string output = Compress(CodeFixtures.CSharp(), "csharp").Output;

        var errors = CSharpSyntaxTree.ParseText(output).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(errors);
        Assert.True(output.Split('\n').Length < CodeFixtures.CSharp().Split('\n').Length / 2);
    }

    [Fact]
    public void CSharp_LargeInputsTakeTheLexerPathAndStayValid()
    {
        string source = CodeFixtures.CSharp() + TrickyStrings;
        var result = new CodeCompressor(new CodeOptions { MaxRoslynChars = 100 }).Compress(source, new CompressionRequest { Language = "csharp", OriginalHash = Hash });

        Assert.True(result.Lossy);
        Assert.Contains("(body of ParseLine)", result.Output, StringComparison.Ordinal);
        Assert.Contains("public bool ParseLine(string line)", result.Output, StringComparison.Ordinal);
        Assert.Equal(
            CSharpSyntaxTree.ParseText(source).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error),
            CSharpSyntaxTree.ParseText(result.Output).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error));
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void Markers_AreParseableByTheSharedFormat()
    {
        string output = Compress(CodeFixtures.CSharp(), "csharp").Output;

        var markers = MarkerFormat.FindAll(output);
        Assert.True(markers.Count >= 3);
        Assert.All(markers, m => Assert.Equal(Hash, m.Marker.Hash));
    }

    [Fact]
    public void Query_KeepsMatchingBodyWhole()
    {
        string source = CodeFixtures.CSharp();
        string output = new CodeCompressor().Compress(source, new CompressionRequest { Language = "csharp", OriginalHash = Hash, Query = "why does the retry backoff misbehave?" }).Output;

        Assert.Contains("yield return \"attempt 24\";", output, StringComparison.Ordinal);
        Assert.DoesNotContain("_values[\"k3\"]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_IdentifierInBodyKeepsIt()
    {
        string source = CodeFixtures.CSharp();
        string output = new CodeCompressor().Compress(source, new CompressionRequest { Language = "csharp", OriginalHash = Hash, Query = "where is unused7 computed" }).Output;

        Assert.Contains("var unused7 = _values.Count + 7;", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortFiles_PassThrough()
    {
        const string source = "public class A\n{\n    public void M()\n    {\n        int x = 1;\n        int y = 2;\n        int z = 3;\n        int w = 4;\n    }\n}\n";
        var result = Compress(source, "csharp");

        Assert.False(result.Lossy);
        Assert.Equal(source, result.Output);
        SpanAssert.Valid(source, result);
    }

    [Fact]
    public void Output_IsDeterministic()
    {
        string source = CodeFixtures.Python();
        var a = Compress(source, "python");
        var b = Compress(source, "python");

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    private static CompressorOutput Compress(string source, string language) =>
        new CodeCompressor().Compress(source, new CompressionRequest { Language = language, OriginalHash = Hash });
}
