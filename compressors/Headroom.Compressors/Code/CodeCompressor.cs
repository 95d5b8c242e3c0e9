using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Headroom.Compressors.Tokens;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Headroom.Compressors.Code;

/// <summary>
/// Source files → their skeleton: imports, types, signatures, attributes/decorators and the first
/// line of doc comments stay; long function bodies become one marker comment in the language's own
/// syntax, so the output still parses (C# re-checked with Roslyn, brace languages re-lexed for balance).
/// Bodies whose name or text matches the query stay whole. Short files pass through.
/// </summary>
internal sealed class CodeCompressor : ICompressor, IWarmsUp
{
    /// <summary>
    /// Roslyn's first parse loads two assemblies and JITs its parser (about 19 MB resident, a few hundred ms):
    /// paid by the first C# output, before its time budget starts, not by every gateway at start.
    /// </summary>
    private static readonly Lazy<bool> RoslynWarm = new(WarmRoslyn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly CodeOptions _options;

    public CodeCompressor(CodeOptions? options = null) => _options = options ?? CodeOptions.Default;

    public string Name => "code";

    public int Version => 1;

    /// <summary>True once Roslyn has been loaded and run in this process.</summary>
    internal static bool RoslynLoaded => RoslynWarm.IsValueCreated;

    /// <summary>Loads Roslyn when this input would go through it (C#, long enough, within <see cref="CodeOptions.MaxRoslynChars"/>).</summary>
    public void WarmUp(string input, string? language)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (RoslynWarm.IsValueCreated || input.Length > _options.MaxRoslynChars || input.AsSpan().Count('\n') + 1 < _options.MinFileLines)
        {
            return;
        }

        var code = CodeLanguages.FromHint(language);
        if (code == CodeLanguage.CSharp || (code == CodeLanguage.Unknown && CodeLanguages.Guess(input) == CodeLanguage.CSharp))
        {
            _ = RoslynWarm.Value;
        }
    }

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);

        var index = new LineIndex(input);
        int totalLines = index.Count;
        var language = CodeLanguages.FromHint(request.Language);
        if (language == CodeLanguage.Unknown)
        {
            language = CodeLanguages.Guess(input);
        }

        if (totalLines < _options.MinFileLines || language == CodeLanguage.Unknown)
        {
            return Passthrough(input);
        }

        // KeepFactor > 1 keeps more: only longer bodies are elided.
        int minBody = Math.Max(1, (int)Math.Round(_options.MinBodyLines * Math.Max(request.KeepFactor, 0.25)));
        var query = QueryTerms.Parse(request.Query);
        string hash = OmissionMarker.HashOf(input, request.OriginalHash);

        // 1. Plan elisions per language; 2. write (bodies become markers, trimmed doc comments are counted in one final marker); 3. verify it still parses.
        // Roslyn is exact but costs ~0.3 s per MB; very large C# takes the lexer path (checked for balance instead).
        bool roslyn = language == CodeLanguage.CSharp && input.Length <= _options.MaxRoslynChars;
        SyntaxTree? tree = null;
        List<Elision>? plan = language switch
        {
            CodeLanguage.CSharp when roslyn => CSharpSkeleton.Plan(input, tree = CSharpSyntaxTree.ParseText(input), query, minBody, _options.MinBodyChars),
            CodeLanguage.Python => PythonSkeleton.Plan(input, index, query, minBody, _options),
            _ => BraceSkeleton.Plan(input, index, language, query, minBody, _options),
        };

        request.CancellationToken.ThrowIfCancellationRequested();
        if (plan is null || plan.Count == 0)
        {
            return Passthrough(input);
        }

        var output = SkeletonWriter.Write(input, plan, language, hash, totalLines, _options.FullMarkerLines, _options.BriefNoteLines);
        if (!StillParses(input, output.Output, language, roslyn, tree) || Grows(input, output.Output))
        {
            return Passthrough(input);
        }

        return output;
    }

    /// <summary>Never more tokens than the input: exact count only when the character saving is too small to be sure.</summary>
    private static bool Grows(string input, string output) =>
        output.Length >= input.Length || (output.Length > input.Length * 0.7 && O200kTokenizer.Instance.CountTokens(output) >= O200kTokenizer.Instance.CountTokens(input));

    private static bool StillParses(string input, string output, CodeLanguage language, bool roslyn, SyntaxTree? inputTree)
    {
        switch (language)
        {
            case CodeLanguage.CSharp when roslyn:
                var outputTree = CSharpSyntaxTree.ParseText(output);
                if (!outputTree.GetRoot().ContainsDiagnostics)
                {
                    return true;
                }

                // Only count when the output has diagnostics: no new syntax errors allowed.
                return CountErrors(outputTree) <= CountErrors(inputTree ?? CSharpSyntaxTree.ParseText(input));
            case CodeLanguage.Python:
                return true;
            default:
                // A plan exists only for balanced input, so the output must balance too.
                return BraceSkeleton.Balanced(BraceLexer.Blank(output, language));
        }
    }

    private static int CountErrors(SyntaxTree tree)
    {
        int n = 0;
        foreach (var d in tree.GetDiagnostics())
        {
            if (d.Severity == DiagnosticSeverity.Error)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The whole Roslyn path once (parse, plan, write, re-parse) on a small class, so its code is loaded and compiled.</summary>
    private static bool WarmRoslyn()
    {
        // The syntax real files use (doc comments, attributes, generics, records, properties, lambdas, switch
        // expressions, patterns, interpolated and raw strings, async, try/catch, preprocessor lines): each is
        // its own parser code to compile, which a sample of plain methods leaves to the first real output.
        var sample = new System.Text.StringBuilder(""""
            #nullable enable
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            namespace Warm.Sample;

            /// <summary>A sample of the syntax real files use.</summary>
            [Serializable]
            public sealed record Point(int X, int Y);

            public enum Kind { None = 0, Small, Large }

            public interface IShape<T> where T : struct
            {
                T Area { get; }
                string Describe(int precision = 2);
            }

            internal sealed partial class Sample<TKey>(IReadOnlyDictionary<TKey, int> counts) : IDisposable
                where TKey : notnull
            {
                private const string Name = "sample";
                private static readonly int[] Sizes = [1, 2, 3];
                private readonly Dictionary<TKey, List<int>> _byKey = new();
                private int _disposed;

                public int Count => _byKey.Count;

                public event EventHandler<int>? Changed;

                public Kind KindOf(int value) => value switch
                {
                    < 0 => throw new ArgumentOutOfRangeException(nameof(value), $"negative: {value}"),
                    0 => Kind.None,
                    > 0 and < 10 => Kind.Small,
                    _ => Kind.Large,
                };

                public async Task<int> SumAsync(IEnumerable<int> values, System.Threading.CancellationToken cancel)
                {
                    var total = 0;
                    foreach (var v in values.Where(x => x % 2 == 0).Select(static x => x * 2))
                    {
                        cancel.ThrowIfCancellationRequested();
                        total += v;
                    }

                    try
                    {
                        await Task.Delay(0, cancel).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException e) when (e.CancellationToken == cancel)
                    {
                        return -1;
                    }
                    finally
                    {
                        Changed?.Invoke(this, total);
                    }

                    return counts.TryGetValue(default!, out var c) ? total + c : total;
                }

                public string Text(object o) => o is Point { X: > 0 } p ? @"verbatim \path" + p : """raw "text" """ + Name + Sizes[0];

            #if DEBUG
                private void Trace(string message) => Console.WriteLine(message);
            #endif

                public void Dispose()
                {
                    if (System.Threading.Interlocked.Exchange(ref _disposed, 1) == 0)
                    {
                        _byKey.Clear();
                    }
                }
            }

            """");
        for (var i = 0; i < 12; i++)
        {
            sample.Append("public static class Extra").Append(i).Append("\n{\n    public static int M(int x)\n    {\n        var y = x * ").Append(i).Append(";\n        return y + 1;\n    }\n}\n");
        }

        new CodeCompressor().Compress(sample.ToString(), new CompressionRequest { Language = "csharp" });
        return true;
    }

    private static CompressorOutput Passthrough(string input)
    {
        var output = new TrackedOutput(input.Length);
        output.Kept(input, 0, input.Length);
        return output.Build(lossy: false);
    }
}
