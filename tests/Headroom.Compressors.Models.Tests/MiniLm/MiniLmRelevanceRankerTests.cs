using System.Text.Json.Nodes;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.MiniLm;
using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Xunit;

namespace Headroom.Compressors.Models.Tests.MiniLm;

public sealed class MiniLmRelevanceRankerTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private static readonly ModelScorerOptions Roomy = new() { Budget = TimeSpan.FromSeconds(60), Mode = RerankMode.Rerank, Candidates = 8 };

    private static readonly string[] Items =
    [
        "title Improve locale date formatting; state open",
        "title Thumbnail cache grows without bound; state open",
        "title Physicians could not sign in to the clinic portal; state open",
        "title Payment webhook retries use the wrong backoff; state open",
        "title Database migration tool drops an index; state open",
    ];

    [Fact]
    public void Rank_ParaphrasedQuestion_PutsTheItemThatAnswersItFirst()
    {
        using var reranker = new MiniLmReranker(MiniLmEncoder.Load(1), Roomy);
        var ranking = reranker.RelevanceRanker().Rank("Which ticket is about doctors unable to log in?", Items, CompressionRequest.Empty);

        Assert.Equal("minilm-rerank", ranking.Ranker);
        Assert.Null(ranking.Fallback);
        Assert.Equal(2, ranking.Top(1)[0]);
        Assert.Equal(0.0, Bm25RelevanceRanker.Instance.Score("Which ticket is about doctors unable to log in?", Items)[2]); // no shared word: BM25 alone misses it
    }

    [Fact]
    public void Rank_OverBudget_GivesBm25sScoresExactly_AndNamesWhy()
    {
        using var reranker = new MiniLmReranker(MiniLmEncoder.Load(1), Roomy with { Budget = TimeSpan.Zero });
        const string query = "payment webhook backoff";
        var ranking = reranker.RelevanceRanker().Rank(query, Items, CompressionRequest.Empty);

        Assert.Equal("bm25", ranking.Ranker);
        Assert.Equal(Bm25RelevanceRanker.Instance.Score(query, Items), ranking.Scores);
        Assert.StartsWith("estimated ", ranking.Fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_MiniLmRanksJsonItems_SameInputSameBytes()
    {
        using var scorers = ProseScorers.Load("minilm-rerank", Roomy with { Candidates = 100 }); // every item: BM25 sees no shared word
        var pipeline = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(60) });
        var array = new JsonArray([.. Enumerable.Range(0, 60).Select(i => new JsonObject
        {
            ["id"] = 500 + i,
            ["title"] = i == 33 ? "Physicians could not sign in to the clinic portal" : $"Routine dependency bump number {i} for the build",
            ["state"] = "open",
        })]);
        var input = array.ToJsonString();
        var request = new CompressionRequest { Query = "Which ticket is about doctors unable to log in?" };
        var a = pipeline.Compress(input, request, ContentType.Json);
        var b = pipeline.Compress(input, request, ContentType.Json);

        Assert.True(a.Compressed, a.Reason);
        Assert.Equal("minilm-rerank", a.Scorer);
        Assert.Contains("Physicians could not sign in", a.Output, StringComparison.Ordinal);
        Assert.Equal(a.Output, b.Output);
        _ = fixture;
    }

    [Fact]
    public void Pipeline_MiniLmRanksCutLogLines_AndIsRecorded_SameInputSameBytes()
    {
        using var scorers = ProseScorers.Load("minilm-rerank", Roomy with { Candidates = 100 });
        var pipeline = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(60) });
        var input = string.Concat(Enumerable.Range(0, 200).Select(i =>
            $"2026-11-30 09:{10 + (i / 60):D2}:{i % 60:D2} INFO [worker] job {5000 + i} finished on host h{i % 4} state={(i == 120 ? "crashed" : "done")}\n"));
        var request = new CompressionRequest { Query = "which job blew up on its host?" };
        var a = pipeline.Compress(input, request, ContentType.Log);
        var b = pipeline.Compress(input, request, ContentType.Log);

        Assert.True(a.Compressed, a.Reason);
        Assert.Equal("log", a.Compressor);
        Assert.Equal("minilm-rerank", a.Scorer);
        Assert.Null(a.ScorerFallback);
        Assert.Contains("; 3 query-ranked lines kept", a.Output, StringComparison.Ordinal);
        Assert.Equal(a.Output, b.Output);
    }
}
