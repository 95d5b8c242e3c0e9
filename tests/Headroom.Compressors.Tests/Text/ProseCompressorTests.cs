using System.Text;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Headroom.Compressors.Tokens;
using Xunit;

namespace Headroom.Compressors.Tests.Text;

public sealed class ProseCompressorTests
{
    private const string Hash = "abcdefabcdefabcdefabcdef";

    private static string Article()
    {
        var sb = new StringBuilder();
        string[] topics = ["weather", "markets", "sports", "music", "cooking", "travel", "gardening", "history"];
        for (int p = 0; p < topics.Length; p++)
        {
            for (int s = 0; s < 6; s++)
            {
                sb.Append("The ").Append(topics[p]).Append(" section covers item ").Append(s).Append(" with a long description of ordinary things that happen every day. ");
            }

            if (p == 5)
            {
                sb.Append("The Zeppelin museum in Friedrichshafen opened in 1996 and houses the largest airship collection. ");
            }

            sb.Append("\n\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void Compress_KeepsTheSentenceAnsweringTheQuery()
    {
        string text = Article();
        var result = new ProseCompressor().Compress(text, new CompressionRequest { Query = "When did the Zeppelin museum open?", OriginalHash = Hash });

        Assert.True(result.Lossy);
        Assert.Contains("The Zeppelin museum in Friedrichshafen opened in 1996", result.Output, StringComparison.Ordinal);
        Assert.True(O200kTokenizer.Instance.CountTokens(result.Output) < O200kTokenizer.Instance.CountTokens(text) / 3);
        SpanAssert.Valid(text, result);
    }

    [Fact]
    public void Compress_EndsWithOneParseableMarker()
    {
        string text = Article();
        var result = new ProseCompressor().Compress(text, new CompressionRequest { Query = "zeppelin", OriginalHash = Hash });

        var markers = MarkerFormat.FindAll(result.Output);
        Assert.Single(markers);
        Assert.Equal(Hash, markers[0].Marker.Hash);
        Assert.EndsWith("]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetRatio_IsTheKnobForHowMuchStays()
    {
        string text = Article();
        var request = new CompressionRequest { Query = "museum" };
        int small = O200kTokenizer.Instance.CountTokens(new ProseCompressor(new ProseOptions { TargetRatio = 0.2 }).Compress(text, request).Output);
        int large = O200kTokenizer.Instance.CountTokens(new ProseCompressor(new ProseOptions { TargetRatio = 0.5 }).Compress(text, request).Output);
        int keepMore = O200kTokenizer.Instance.CountTokens(new ProseCompressor(new ProseOptions { TargetRatio = 0.2 }).Compress(text, request with { KeepFactor = 2.5 }).Output);

        Assert.True(small < large, $"{small} vs {large}");
        Assert.True(keepMore > small, $"{keepMore} vs {small}");
    }

    [Fact]
    public void Compress_DropsNearDuplicates()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 30; i++)
        {
            sb.Append("Retry attempt ").Append(i).Append(" failed with a timeout after waiting for the upstream server. ");
        }

        sb.Append("The root cause was a missing DNS record for the upstream host.");
        string text = sb.ToString();
        var result = new ProseCompressor(new ProseOptions { TargetRatio = 0.6 }).Compress(text, new CompressionRequest { Query = "why did the retry fail?" });

        Assert.Equal(1, CountOf(result.Output, "Retry attempt"));
        Assert.Contains("missing DNS record", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scorer_IsReplaceable()
    {
        string text = Article();
        var result = new ProseCompressor(new ProseOptions { TargetRatio = 0.05 }, new LastSentenceScorer()).Compress(text, CompressionRequest.Empty);

        Assert.Contains("The history section covers item 5", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("The weather section covers item 0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Thinner_DropsFrequentWordsButKeepsNumbersNamesAndNegations()
    {
        const string text = "The server did not restart after the update to version 2.4 was applied by Alice on the host at /etc/app.conf yesterday.";
        var sentence = SentenceSplitter.Split(text)[0];

        string thin = SentenceThinner.Thin(text, sentence, QueryTerms.Empty, frequentRank: 4000);

        Assert.True(thin.Length < text.Length, thin);
        foreach (var must in new[] { "not", "2.4", "Alice", "/etc/app.conf", "yesterday." })
        {
            Assert.Contains(must, thin, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(" the ", thin, StringComparison.Ordinal);
    }

    [Fact]
    public void Thinning_WritesThinnedSentencesAsSummarySpans()
    {
        string text = Article();
        var result = new ProseCompressor(new ProseOptions { Thin = true, ThinBelowScore = 10, TargetRatio = 0.3 }).Compress(text, new CompressionRequest { Query = "zeppelin museum" });

        Assert.Contains(result.Spans, s => s.Kind == Headroom.Compressors.Spans.SpanKind.Summary && s.SrcStart >= 0 && s.SrcEnd - s.SrcStart > s.OutEnd - s.OutStart);
        Assert.Contains("1996", result.Output, StringComparison.Ordinal);
        SpanAssert.Valid(text, result);
    }

    [Fact]
    public void ShortText_PassesThrough()
    {
        const string text = "Only two sentences here. Nothing to cut.";
        var result = new ProseCompressor().Compress(text, CompressionRequest.Empty);

        Assert.False(result.Lossy);
        Assert.Equal(text, result.Output);
    }

    [Fact]
    public void Compress_IsDeterministic()
    {
        string text = Article();
        var request = new CompressionRequest { Query = "cooking section item 3" };
        var a = new ProseCompressor().Compress(text, request);
        var b = new ProseCompressor().Compress(text, request);

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    private static int CountOf(string text, string needle)
    {
        int n = 0;
        for (int i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private sealed class LastSentenceScorer : ISentenceScorer
    {
        public double[] Score(string text, IReadOnlyList<Sentence> sentences, QueryTerms query) =>
            sentences.Select((_, i) => (double)i).ToArray();
    }
}
