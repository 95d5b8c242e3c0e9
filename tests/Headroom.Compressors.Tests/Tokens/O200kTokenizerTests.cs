using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using System.Text.RegularExpressions;
using Headroom.Compressors.Tests.Pipeline;
using Headroom.Compressors.Tokens;
using Xunit;

namespace Headroom.Compressors.Tests.Tokens;

public sealed class O200kTokenizerTests
{
    private const string Pattern =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Rust's regex folds 's' to U+017F (long s) under (?i); .NET's does not, so the oracle spells it out.
    private static readonly Regex Oracle = new(Pattern.Replace("(?i:'s|", "(?i:'[s\u017F]|", StringComparison.Ordinal), RegexOptions.CultureInvariant);

    public static TheoryData<int> ParityCases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < LoadCases().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void ParityFixture_HasAtLeast200Strings()
    {
        Assert.True(LoadCases().Count >= 200);
    }

    [Theory]
    [MemberData(nameof(ParityCases))]
    public void Encode_MatchesTiktoken(int index)
    {
        var (text, expected) = LoadCases()[index];
        var actual = O200kTokenizer.Instance.Encode(text);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Length, O200kTokenizer.Instance.CountTokens(text));
        Assert.Equal(text, O200kTokenizer.Instance.Decode(actual));
    }

    [Fact]
    public void VocabularySize_Is199998()
    {
        Assert.Equal(199_998, O200kTokenizer.Instance.VocabularySize);
    }

    [Fact]
    public void CountTokens_IsStableAcrossCacheHits()
    {
        const string text = "The quick brown fox's tail, repeated: antidisestablishmentarianism\n";
        var once = O200kTokenizer.Instance.CountTokens(text);
        var repeated = O200kTokenizer.Instance.CountTokens(string.Concat(Enumerable.Repeat(text, 50)));
        Assert.Equal(once * 50, repeated);
        Assert.Equal(O200kTokenizer.Instance.Encode(text).Length, once);
    }

    [Fact]
    public void LongPunctuationRun_UsesHeapMergeAndAgreesWithLinearSplit()
    {
        // 300 '=' is one pre-token longer than the linear-merge limit: the heap path.
        var text = new string('=', 300);
        var ids = O200kTokenizer.Instance.Encode(text);
        Assert.Equal(text, O200kTokenizer.Instance.Decode(ids));
        Assert.Equal(ids.Length, O200kTokenizer.Instance.CountTokens(text));

        // A megabyte of one character must not be quadratic.
        var big = new string(' ', 1 << 20) + "x";
        Assert.True(O200kTokenizer.Instance.CountTokens(big) > 0);
    }

    [Fact]
    public void PreTokenizer_MatchesRegexOracle_OnBmpProperty()
    {
        // .NET Regex treats surrogate pairs as two chars, so the oracle only holds on the BMP.
        const string alphabet = "aZé\u0301ǅʰſ日Я9٣Ⅻ½ \t\n\r\u00a0\u3000'\".,!-/_=(";
        Prop.ForAll(
            Arb.From(Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()))),
            chars =>
            {
                var text = new string(chars);
                var expected = Oracle.Matches(text).Select(m => m.Value).ToArray();
                var actual = O200kTokenizer.Instance.PreTokenize(text).ToArray();
                return expected.SequenceEqual(actual)
                    .Label($"text={JsonSerializer.Serialize(text)} expected={JsonSerializer.Serialize(expected)} actual={JsonSerializer.Serialize(actual)}");
            }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("I'm here", new[] { "I'm", " here" })]
    [InlineData("  hello", new[] { " ", " hello" })]
    [InlineData("a\n\n  b", new[] { "a", "\n\n", " ", " b" })]
    [InlineData("12345", new[] { "123", "45" })]
    [InlineData("👍🏽ok", new[] { "👍🏽", "ok" })]
    public void PreTokenize_SplitsLikeThePattern(string text, string[] expected)
    {
        Assert.Equal(expected, O200kTokenizer.Instance.PreTokenize(text));
    }

    [Fact]
    public void Estimator_OpenAiIsExact_AnthropicUsesLongestPrefixFactor()
    {
        var estimator = new TokenEstimator(anthropicModelFactors: new Dictionary<string, double>
        {
            ["claude"] = 1.2,
            ["claude-sonnet-4"] = 1.5,
        });
        const string text = "hello world, this is a test";
        var exact = O200kTokenizer.Instance.CountTokens(text);
        Assert.Equal(exact, estimator.Estimate(TokenProvider.OpenAI, "gpt-5", text));
        Assert.Equal((int)Math.Ceiling(exact * 1.5), estimator.Estimate(TokenProvider.Anthropic, "claude-sonnet-4-5", text));
        Assert.Equal((int)Math.Ceiling(exact * 1.2), estimator.Estimate(TokenProvider.Anthropic, "claude-opus-4", text));
        Assert.Equal(TokenEstimator.DefaultAnthropicFactor, TokenEstimator.Default.Factor(TokenProvider.Anthropic, "other"));
    }

    private static List<(string Text, int[] Ids)> LoadCases()
    {
        using var doc = JsonDocument.Parse(Fixtures.Read("Tokens/o200k_parity.json"));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))];
    }
}
