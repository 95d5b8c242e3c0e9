using System.Text.RegularExpressions;
using Headroom.Bench.Evaluation;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>Code: every top-level declaration name found by <see cref="DeclarationNames"/> (Roslyn for
/// C#, a line-pattern extractor per language elsewhere; none of it the compressor's lexer) appears
/// in the output as a whole word.</summary>
internal static class CodeOracle
{
    public const string Description = "code = every top-level declaration name (Roslyn for C#, bench line patterns elsewhere) still in the output";

    public static Retained Measure(string input, string language, string output, List<string>? lost = null)
    {
        var names = DeclarationNames.Of(input, language).Distinct(StringComparer.Ordinal).ToList();
        var kept = 0;
        foreach (var name in names)
        {
            if (Regex.IsMatch(output, @"(?<![\w$])" + Regex.Escape(name) + @"(?![\w$])"))
            {
                kept++;
            }
            else
            {
                lost?.Add("declaration: " + name);
            }
        }

        return new Retained(names.Count, kept);
    }
}
