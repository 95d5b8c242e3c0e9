using Headroom.Compressors.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Text;

public sealed class WordStemmerTests
{
    [Theory]
    [InlineData("user's", "user")]
    [InlineData("PARTIES", "party")]
    [InlineData("running", "runn")]
    [InlineData("ring", "ring")]
    [InlineData("ruled", "rul")]
    [InlineData("boxes", "box")]
    [InlineData("crises", "crise")]
    [InlineData("status", "status")]
    [InlineData("cats", "cat")]
    [InlineData("is", "is")]
    public void Stem_AndStemLowerWithoutAllocating_AgreeOnEveryRule(string word, string stem)
    {
        Assert.Equal(stem, WordStemmer.Stem(word));
        Span<char> into = stackalloc char[64];
        Assert.Equal(stem, WordStemmer.StemLower(word.ToLowerInvariant(), into).ToString());
    }
}
