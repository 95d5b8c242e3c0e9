using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.MiniLm;
using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Headroom.Compressors.Models.Tests.MiniLm;

public sealed class MiniLmRerankerTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private static readonly ModelScorerOptions Roomy = new() { Budget = TimeSpan.FromSeconds(60) };

    private const string Article =
        "The river town grew around a wooden bridge built by monks. Its market drew traders from the valley every week. " +
        "Merchants sold wool, salt and iron tools there. The town hall was rebuilt twice after floods. " +
        "A railway reached the town late in the century. Today the old bridge carries only walkers. " +
        "Most residents now commute to the city for work. The annual fair still fills the square each autumn. " +
        "Physicians in the town treated the sick at a small infirmary. The school opened with forty pupils.";

    [Fact]
    public void Encode_GivesUnitVectors_ThatPlaceParaphrasesCloser()
    {
        var rows = new[] { "a doctor", "physicians treated the sick", "the railway reached the town" }.Select(s => fixture.Encoder.Tokenize(s, 40)).ToList();
        using var run = new RunOptions();
        var e = fixture.Encoder.Encode(rows, run);

        Assert.All(e, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        Assert.True(Dot(e[0], e[1]) > Dot(e[0], e[2]));
    }

    [Fact]
    public void Score_LiftsTheSentenceThatAnswersAParaphrasedQuestion()
    {
        using var reranker = new MiniLmReranker(MiniLmEncoder.Load(1), Roomy with { Mode = RerankMode.Rerank, Candidates = 10 });
        var sentences = SentenceSplitter.Split(Article);
        string question = "Where could a doctor be found?";
        var scored = reranker.Score(Article, sentences, QueryTerms.Parse(question), new CompressionRequest { Query = question });

        int best = Array.IndexOf(scored.Scores, scored.Scores.Max());
        Assert.Equal("minilm-rerank", scored.Scorer);
        Assert.Null(scored.Fallback);
        Assert.StartsWith("Physicians in the town", Article[sentences[best].Start..], StringComparison.Ordinal);
    }

    [Fact]
    public void Score_OverBudget_OrWithoutAQuestion_KeepsBm25sScores()
    {
        using var reranker = new MiniLmReranker(MiniLmEncoder.Load(1), Roomy with { Budget = TimeSpan.Zero });
        var sentences = SentenceSplitter.Split(Article);
        var query = QueryTerms.Parse("doctor");
        double[] bm25 = new Bm25SentenceScorer().Score(Article, sentences, query);

        var over = reranker.Score(Article, sentences, query, new CompressionRequest { Query = "doctor" });
        var none = reranker.Score(Article, sentences, QueryTerms.Empty, CompressionRequest.Empty);

        Assert.Equal("bm25", over.Scorer);
        Assert.Equal(bm25, over.Scores);
        Assert.StartsWith("estimated ", over.Fallback, StringComparison.Ordinal);
        Assert.Equal("no question to rank against", none.Fallback);
    }

    [Fact]
    public void Pipeline_SameInputSameBytes_AndTheResultNamesTheScorer()
    {
        using var scorers = ProseScorers.Load("minilm", Roomy);
        var pipeline = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(60) });
        string text = string.Join("\n\n", Enumerable.Repeat(Article, 3).Select((a, i) => a.Replace("town", "town" + i, StringComparison.Ordinal)));
        var request = new CompressionRequest { Query = "Where could a doctor be found?" };
        var a = pipeline.Compress(text, request, ContentType.Text);
        var b = pipeline.Compress(text, request, ContentType.Text);

        Assert.True(scorers.Status.ModelLoaded);
        Assert.True(a.Compressed, a.Reason);
        Assert.Equal("minilm", a.Scorer);
        Assert.Equal(a.Output, b.Output);
        Assert.Contains("Physicians", a.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_WhenTheModelDecidesWhatStays_SameInputSameBytes()
    {
        using var reranker = new MiniLmReranker(MiniLmEncoder.Load(1), Roomy with { Mode = RerankMode.Rerank, Candidates = 40 });
        var compressor = new ProseCompressor(new ProseOptions { TargetRatio = 0.2 }, reranker);
        string text = string.Join("\n\n", Enumerable.Range(0, 6).Select(i => Article.Replace("town", "town" + i, StringComparison.Ordinal)));
        var request = new CompressionRequest { Query = "Where could a doctor be found?" };
        var a = compressor.Compress(text, request);
        var b = compressor.Compress(text, request);
        var bm25 = new ProseCompressor(new ProseOptions { TargetRatio = 0.2 }).Compress(text, request);

        Assert.Equal("minilm-rerank", a.Scorer);
        Assert.NotEqual(bm25.Output, a.Output); // the model chose differently, so the comparison below is about its choice
        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    [Fact]
    public void Gate_StopsARealRunAtTheDeadline_AndFallsBack()
    {
        // No estimate (0 ms per piece) so the run starts; 64 rows of 128 pieces take seconds, so ONNX Runtime is told to stop.
        using var gate = new ModelGate(new ModelScorerOptions { Budget = TimeSpan.FromMilliseconds(1) }) { MsPerToken = 0 };
        var rows = Enumerable.Range(0, 64).Select(_ => fixture.Encoder.Tokenize(string.Concat(Enumerable.Repeat(Article, 3)), 126)).ToList();
        bool finished = false;
        string? fallback = gate.TryRun(MiniLmEncoder.PaddedTokens(rows), CancellationToken.None, run =>
        {
            fixture.Encoder.Encode(rows, run);
            finished = true;
        });

        Assert.Equal("model stopped at budget 1 ms", fallback);
        Assert.False(finished);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
