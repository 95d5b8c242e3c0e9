using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Text;
using Headroom.Compressors.Tokens;
using Xunit;
using Xunit.Abstractions;

namespace Headroom.Compressors.Tests.Code;

/// <summary>The two reported failures, reproduced on generated inputs of the same shape.</summary>
public sealed class KnownFailureTests(ITestOutputHelper log)
{
    [Fact]
    public void GoFileDominatedByRawStringTemplate_SavesFortyPercentAndKeepsNames()
    {
        AssertSavesAndKeepsNames("go", KnownFailureFixtures.GoTemplate());
    }

    [Fact]
    public void RustDeserializerWithLifetimesGenericsAndMacros_SavesFortyPercentAndNeverGrows()
    {
        string source = KnownFailureFixtures.RustDeserializer();
        Assert.InRange(source.Split('\n').Length, 1_000, 1_500);
        AssertSavesAndKeepsNames("rust", source);
    }

    private void AssertSavesAndKeepsNames(string language, string source)
    {
        var result = new CodeCompressor().Compress(source, new CompressionRequest { Language = language, OriginalHash = "00112233445566778899aabb" });
        int before = O200kTokenizer.Instance.CountTokens(source);
        int after = O200kTokenizer.Instance.CountTokens(result.Output);
        log.WriteLine($"{language}: {source.Split('\n').Length} lines, {before} -> {after} tokens ({100.0 * (before - after) / before:F1}% saved)");

        Assert.True(after <= before, $"grew {before} -> {after}");
        Assert.True(after <= before * 0.6, $"saved only {1 - (double)after / before:P1} ({before} -> {after})");
        var names = DeclarationNames.Of(language, source);
        Assert.NotEmpty(names);
        Assert.Empty(DeclarationNames.Missing(names, result.Output));
        Assert.True(BraceSkeleton.Balanced(BraceLexer.Blank(result.Output, CodeLanguages.FromHint(language))));
        SpanAssert.Valid(source, result);
    }
}
