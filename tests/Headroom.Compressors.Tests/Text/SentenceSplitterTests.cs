using Headroom.Compressors.Text;
using Xunit;

namespace Headroom.Compressors.Tests.Text;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("Dr. Smith paid $3.50 for it. Then he left.", new[] { "Dr. Smith paid $3.50 for it.", "Then he left." })]
    [InlineData("J. R. R. Tolkien wrote it, e.g. the Hobbit. It sold well!", new[] { "J. R. R. Tolkien wrote it, e.g. the Hobbit.", "It sold well!" })]
    [InlineData("See example.com and v1.2.3 now. \"Quoted.\" Next one?", new[] { "See example.com and v1.2.3 now.", "\"Quoted.\"", "Next one?" })]
    [InlineData("Lines wrapped\nin the middle stay one sentence. Second.", new[] { "Lines wrapped\nin the middle stay one sentence.", "Second." })]
    [InlineData("Steps:\n- first step\n- second step\n\nNew paragraph.", new[] { "Steps:", "- first step", "- second step", "New paragraph." })]
    public void Split_FindsSentenceBoundaries(string text, string[] expected)
    {
        var sentences = SentenceSplitter.Split(text);

        Assert.Equal(expected, sentences.Select(s => text[s.Start..s.End]).ToArray());
    }

    [Fact]
    public void Split_NumbersParagraphs()
    {
        const string text = "One. Two.\n\nThree.\n\n\nFour.";
        var sentences = SentenceSplitter.Split(text);

        Assert.Equal([0, 0, 1, 2], sentences.Select(s => s.Paragraph).ToArray());
        Assert.Equal([0, 1, 0, 0], sentences.Select(s => s.IndexInParagraph).ToArray());
        Assert.Equal([0, 0, 2, 5], sentences.Select(s => s.Line).ToArray());
    }
}
