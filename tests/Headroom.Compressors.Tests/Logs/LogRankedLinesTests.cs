using Headroom.Compressors.Budget;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Logs;

/// <summary>With a query, the template lines the log compressor's selection cut are ranked against it (BM25 unless a model
/// is given) and the best few kept verbatim in their place; without one, or when ranking fails or finds nothing, the
/// output is the one selection alone gives.</summary>
public sealed class LogRankedLinesTests
{
    private const string Hash = "0123456789abcdef01234567";

    // One template: every line differs only in its values; line 150 is the only one on the payments-reconcile queue,
    // line 200 the only one retrying, lines 15, 45, ..., 285 are on the audit-export queue.
    private static readonly List<string> Lines = [.. Enumerable.Range(0, 300).Select(i =>
        $"2026-11-30 09:{10 + (i / 60):D2}:{i % 60:D2} INFO [worker] job {5000 + i} finished in {(i % 37) + 3} ms queue={Queue(i)} state={(i == 200 ? "retrying" : "done")} host=h{i % 4}")];

    private static readonly string Input = string.Join('\n', Lines) + "\n";

    private static string Queue(int i) => i == 150 ? "payments-reconcile" : i % 30 == 15 ? "audit-export" : "default";

    private static CompressorOutput Compress(string? query, IRelevanceRanker? ranker = null, int rankedLines = LogCompressor.DefaultRankedLines) =>
        new LogCompressor(ranker: ranker, rankedLines: rankedLines).Compress(Input, new CompressionRequest { OriginalHash = Hash, Query = query });

    // The oracle: which source lines appear whole, as lines of their own, in the output, in output order.
    private static List<int> WholeLines(string output)
    {
        var index = Lines.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return [.. output.Split('\n').Where(index.ContainsKey).Select(l => index[l])];
    }

    [Fact]
    public void Compress_Query_KeepsTheCutLineSharingItsWords_AndSaysSo()
    {
        Assert.DoesNotContain(150, WholeLines(Compress(null).Output)); // selection alone cuts it

        var output = Compress("what happened on the payments reconcile queue?");

        Assert.Contains(150, WholeLines(output.Output));
        Assert.Null(SpanMap.Validate(Input, output.Output, output.Spans));
        Assert.Equal("bm25", output.Scorer);
        Assert.Null(output.ScorerFallback);
        var marker = Assert.Single(MarkerFormat.FindAll(output.Output)).Marker;
        Assert.EndsWith("; 3 query-ranked lines kept", marker.Detail, StringComparison.Ordinal); // "queue" gives every line a little
        Assert.Equal(300 - 1 - WholeLines(output.Output).Count, marker.Omitted); // line 0 is kept too, with its note
    }

    [Fact]
    public void Compress_QueryWordMeetsTheLineOnlyByItsStem_StillKeepsIt()
    {
        // "retries" and "retrying" both stem to "retry"; no other word of the question is in the log.
        var output = Compress("which one retries?");

        Assert.Contains(200, WholeLines(output.Output));
        Assert.Contains("; 1 query-ranked lines kept", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_ManyLinesMatch_KeepsAtMostRankedLines()
    {
        var audit = Enumerable.Range(0, 300).Where(i => Queue(i) == "audit-export").ToList();
        Assert.Equal(10, audit.Count);

        Assert.Equal(3, WholeLines(Compress("audit export").Output).Intersect(audit).Count());
        Assert.Equal(5, WholeLines(Compress("audit export", rankedLines: 5).Output).Intersect(audit).Count());
        Assert.Equal(WholeLines(Compress(null).Output), WholeLines(Compress("audit export", rankedLines: 0).Output));
    }

    [Fact]
    public void Compress_OnlyLinesWithAPositiveScore_AreAdded()
    {
        // Two candidates score, every other one 0: two lines more, not three.
        var ranker = new ScoringRanker(text => text.Contains("job 5100 ", StringComparison.Ordinal) || text.Contains("job 5230 ", StringComparison.Ordinal) ? 1 : 0);
        var output = Compress("job", ranker);

        Assert.Equal([.. WholeLines(Compress(null).Output), 100, 230], WholeLines(output.Output).Order());
        Assert.Contains("; 2 query-ranked lines kept", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_RankerPrefersLaterLines_TheyStillComeOutInTheirOriginalPlace()
    {
        var ranker = new ScoringRanker(text => int.Parse(text.AsSpan(text.IndexOf("job ", StringComparison.Ordinal) + 4, 4), System.Globalization.CultureInfo.InvariantCulture));
        var output = Compress("job", ranker);
        var whole = WholeLines(output.Output);

        Assert.Equal(whole.Order(), whole);
        Assert.Equal([297, 298, 299], whole.Where(i => i > 1).TakeLast(3)); // the three best, before the marker, in order
        Assert.Null(SpanMap.Validate(Input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_TiedScores_GoToTheEarlierLines_SameBytesEveryTime()
    {
        var output = Compress("job", new ScoringRanker(_ => 1));

        Assert.StartsWith(Lines[0] + " (×300 similar", output.Output, StringComparison.Ordinal); // kept by selection, with its note
        Assert.Equal([1, 2, 3], WholeLines(output.Output).Take(3)); // the first candidates
        Assert.DoesNotContain(4, WholeLines(output.Output));
        Assert.Equal(output.Output, Compress("job", new ScoringRanker(_ => 1)).Output);
        Assert.Equal(Compress("what happened on the payments reconcile queue?").Output, Compress("what happened on the payments reconcile queue?").Output);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("what is it about?")] // stop words only
    public void Compress_NoQueryWord_NeverAsksTheRanker_OutputAsWithoutRanking(string? query)
    {
        var output = Compress(query, new ScoringRanker(_ => throw new InvalidOperationException("must not be asked")));

        Assert.Equal(Compress(null, rankedLines: 0).Output, output.Output);
        Assert.Null(output.Scorer);
        Assert.Null(output.ScorerFallback);
    }

    [Fact]
    public void Compress_RankerThrows_OutputAsWithoutRanking_AndTheFailureIsRecorded()
    {
        var output = Compress("payments reconcile", new ScoringRanker(_ => throw new InvalidOperationException("model file gone")));

        Assert.Equal(Compress(null).Output, output.Output);
        Assert.Null(output.Scorer);
        Assert.Contains("failed (InvalidOperationException: model file gone)", output.ScorerFallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_RankerFallsBackWithNothingRelevant_OutputAsWithoutRanking_AndTheFallbackIsRecorded()
    {
        var output = Compress("payments reconcile", new ScoringRanker(_ => 0, "model stopped at budget 35 ms"));

        Assert.Equal(Compress(null).Output, output.Output);
        Assert.Equal("scoring", output.Scorer);
        Assert.Equal("model stopped at budget 35 ms", output.ScorerFallback);
    }

    [Fact]
    public void Compress_BudgetAlreadySpent_DoesNotRank_OutputAsWithoutRanking()
    {
        using var spent = new ComputeBudget(TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var asked = new ScoringRanker(_ => 1);
        var output = new LogCompressor(ranker: asked).Compress(Input, new CompressionRequest { OriginalHash = Hash, Query = "payments reconcile", Budget = spent });

        Assert.False(asked.Asked);
        Assert.Equal(Compress(null).Output, output.Output);
        Assert.StartsWith("not ranked: ", output.ScorerFallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_RankerOverrunningItsShare_IsStopped_OutputAsWithoutRanking()
    {
        // The ranker burns CPU until its token fires: it runs under what the budget has left once writing is set aside.
        using var budget = new ComputeBudget(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1));
        var spinning = new ScoringRanker(_ => 1, spinUntilCancelled: true);
        var output = new LogCompressor(ranker: spinning).Compress(Input, new CompressionRequest { OriginalHash = Hash, Query = "payments reconcile", Budget = budget });

        Assert.True(spinning.StoppedByItsToken);
        Assert.Equal(Compress(null).Output, output.Output);
        Assert.StartsWith("ranking stopped at its share of the budget", output.ScorerFallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_ProductionBudget_RanksAsWithoutOne()
    {
        var pipeline = new CompressionPipeline(options: PipelineOptions.Default);
        var result = pipeline.Compress(Input, new CompressionRequest { Query = "what happened on the payments reconcile queue?" }, ContentType.Log);

        Assert.True(result.Compressed, result.Reason);
        Assert.Equal("bm25", result.Scorer);
        Assert.Contains(Lines[150] + "\n", result.Output, StringComparison.Ordinal);
        var direct = new LogCompressor().Compress(Input, new CompressionRequest { OriginalHash = ContentHash.Compute(Input), Query = "what happened on the payments reconcile queue?" });
        Assert.Equal(direct.Output, result.Output);
    }

    /// <summary>Scores each candidate with a function (throwing from it throws from Rank); optionally spins first until cancelled.</summary>
    private sealed class ScoringRanker(Func<string, double> score, string? fallback = null, bool spinUntilCancelled = false) : IRelevanceRanker
    {
        public string Name => "scoring";

        public bool Asked { get; private set; }

        public bool StoppedByItsToken { get; private set; }

        public RelevanceRanking Rank(string query, IReadOnlyList<string> candidates, CompressionRequest request)
        {
            Asked = true;
            var watch = System.Diagnostics.Stopwatch.StartNew(); // a ranker nobody stops gives up after 10 s (the test then fails)
            while (spinUntilCancelled && !request.CancellationToken.IsCancellationRequested && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.SpinWait(1000);
            }

            StoppedByItsToken = request.CancellationToken.IsCancellationRequested;

            request.CancellationToken.ThrowIfCancellationRequested();
            return new([.. candidates.Select(score)], Name, fallback);
        }
    }
}
