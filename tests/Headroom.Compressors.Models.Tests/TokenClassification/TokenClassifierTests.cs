using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Models.Tests.Fixtures;
using Headroom.Compressors.Models.TokenClassification;
using Headroom.Compressors.Pipeline;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Headroom.Compressors.Models.Tests.TokenClassification;

public sealed class TokenClassifierTests
{
    private static readonly ModelScorerOptions Roomy = new() { Budget = TimeSpan.FromSeconds(30) };

    [Fact]
    public void Load_ReadsTheFolder_AndTokenisesWordsIntoTheirPieces()
    {
        using var folder = new TinyModelFolder();
        using var model = TokenClassifier.Load(folder.Path, 1);
        string text = "The cats runs";
        var words = WordSplitter.Split(text);
        var chunks = model.Chunk(text, words);

        Assert.Equal(512, model.MaxLength);
        var chunk = Assert.Single(chunks);
        int[] expected = [.. new[] { "[CLS]", "the", "cat", "##s", "run", "##s", "[SEP]" }.Select(TinyModelFolder.IdOf)];
        Assert.Equal(expected, chunk.Ids);
        Assert.Equal([-1, 0, 1, 1, 2, 2, -1], chunk.WordOf);
    }

    [Fact]
    public void Chunk_NeverSplitsAWord_AndStaysWithinTheModelLength()
    {
        using var folder = new TinyModelFolder(maxLength: 7);
        using var model = TokenClassifier.Load(folder.Path, 1);
        string text = "cats dogs runs jumping the mat big cat sat on a mat";
        var words = WordSplitter.Split(text);
        var chunks = model.Chunk(text, words);

        // 5 pieces of room per chunk: [cats dogs] [runs jumping the] [mat big cat sat on] [a mat]
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.Ids.Length <= 7));
        Assert.All(chunks, c => Assert.Equal(TinyModelFolder.IdOf("[CLS]"), c.Ids[0]));
        Assert.All(chunks, c => Assert.Equal(TinyModelFolder.IdOf("[SEP]"), c.Ids[^1]));
        var seen = chunks.SelectMany(c => c.WordOf.Where(w => w >= 0).Distinct()).ToList();
        Assert.Equal(Enumerable.Range(0, words.Count), seen); // every word once, in order, in one chunk
    }

    [Fact]
    public void KeepProbabilities_FollowTheRule_MeanOverPieces_AcrossChunks()
    {
        using var folder = new TinyModelFolder(maxLength: 6);
        using var model = TokenClassifier.Load(folder.Path, 1);
        string text = "cat sat runs jumping dogs the";
        var words = WordSplitter.Split(text);
        var chunks = model.Chunk(text, words);
        using var run = new RunOptions();
        double[] p = model.KeepProbabilities(chunks, words.Count, run);

        Assert.True(chunks.Count > 1);
        double half = Math.Round((TinyModelFolder.KeepP + TinyModelFolder.DropP) / 2, 4);
        Assert.Equal([TinyModelFolder.KeepP, TinyModelFolder.DropP, half, half, TinyModelFolder.KeepP, TinyModelFolder.DropP], p);
    }

    [Fact]
    public void Compress_KeepsTheRatio_WithForcedWordsOnTop()
    {
        using var folder = new TinyModelFolder();
        using var model = TokenClassifier.Load(folder.Path, 1);
        using var compressor = new TokenClassifierCompressor(model, Roomy with { KeepRatio = 0.5 });
        // 9 words: 4 kept by the rule (cat, on, dog, big), 5 dropped; ⌈0.5 × 9⌉ = 5 keeps the earliest tie too.
        string text = "the cat sat on the mat dog ran big";
        var result = compressor.Compress(text, CompressionRequest.Empty);

        string kept = result.Output[..result.Output.IndexOf("[headroom:", StringComparison.Ordinal)].Trim();
        Assert.Equal("the cat on dog big", kept);
        Assert.Equal("model:" + Path.GetFileName(folder.Path), result.Scorer);
        Assert.Null(result.ScorerFallback);
        Assert.Contains("4 of 9 items omitted", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_Threshold_KeepsEveryWordAboveIt_AndAlwaysNumbersPathsFlagsIdentifiers()
    {
        using var folder = new TinyModelFolder();
        using var model = TokenClassifier.Load(folder.Path, 1);
        using var compressor = new TokenClassifierCompressor(model, Roomy with { KeepThreshold = 0.5 });
        string text = "the cat sat 42 ran src/app.cs ran --no-cache sat parseHeader mat";
        var result = compressor.Compress(text, CompressionRequest.Empty);

        string kept = result.Output[..result.Output.IndexOf("[headroom:", StringComparison.Ordinal)].Trim();
        Assert.Equal("cat 42 src/app.cs --no-cache parseHeader", kept);
    }

    [Fact]
    public void Compress_SpansCopyKeptRunsVerbatim()
    {
        using var folder = new TinyModelFolder();
        using var model = TokenClassifier.Load(folder.Path, 1);
        using var compressor = new TokenClassifierCompressor(model, Roomy with { KeepThreshold = 0.5 });
        string text = "the cat  on\tbig sat mat\ndog ran";
        var result = compressor.Compress(text, CompressionRequest.Empty);

        Assert.StartsWith("cat  on\tbig\ndog\n[headroom:", result.Output, StringComparison.Ordinal);
        var kept = result.Spans.Where(s => s.Kind == Headroom.Compressors.Spans.SpanKind.Kept).ToList();
        Assert.All(kept, s => Assert.Equal(text[s.SrcStart..s.SrcEnd], result.Output[s.OutStart..s.OutEnd]));
        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public void Compress_OverBudget_FallsBackToBm25_AndSaysSo()
    {
        using var folder = new TinyModelFolder();
        using var model = TokenClassifier.Load(folder.Path, 1);
        using var compressor = new TokenClassifierCompressor(model, Roomy with { Budget = TimeSpan.Zero });
        string[] animals = ["cat", "dog", "owl", "fox", "bee", "eel", "yak", "ant", "elk", "hen", "ram", "cod"];
        string text = string.Join(" ", animals.Select(a => $"The {a} sat on the mat near the door. Nobody saw the {a} leave."));
        var result = compressor.Compress(text, new CompressionRequest { Query = "where did the yak sit" });

        Assert.Equal("bm25", result.Scorer);
        Assert.StartsWith("estimated ", result.ScorerFallback, StringComparison.Ordinal);
        Assert.Contains("yak", result.Output, StringComparison.Ordinal);
        Assert.Contains("sentences, least relevant", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_SameInput_SameBytes()
    {
        using var folder = new TinyModelFolder(maxLength: 9);
        using var model = TokenClassifier.Load(folder.Path, 1);
        using var compressor = new TokenClassifierCompressor(model, Roomy with { KeepRatio = 0.4 });
        string text = string.Join(" ", Enumerable.Range(0, 200).Select(i => TinyModelFolder.Vocabulary[5 + (i * 7 % 15)].TrimStart('#')));
        var a = compressor.Compress(text, CompressionRequest.Empty);
        var b = compressor.Compress(text, CompressionRequest.Empty);

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Spans, b.Spans);
    }

    [Fact]
    public void Pipeline_RecordsTheModelAsScorer_AndTheMarkerNamesTheOriginal()
    {
        using var folder = new TinyModelFolder(maxLength: 64);
        using var scorers = ProseScorers.Load("model:" + folder.Path, Roomy);
        var pipeline = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30) });
        string text = string.Join(" ", Enumerable.Range(0, 120).Select(i => i % 3 == 0 ? "the cat sat on a mat." : "a big dog ran on the mat,"));
        var result = pipeline.Compress(text, forcedType: ContentType.Text);

        Assert.True(scorers.Status.ModelLoaded);
        Assert.True(result.Compressed, result.Reason);
        Assert.Equal(scorers.Status.Active, result.Scorer);
        Assert.Contains(result.Hash, result.Output, StringComparison.Ordinal);
        Assert.True(result.TokensAfter < result.TokensBefore * 0.75);
    }

    [Fact]
    public void Load_MissingModel_LeavesBm25InPlace_WithAReason()
    {
        using var folder = new TinyModelFolder(writeModel: false);
        using var scorers = ProseScorers.Load("model:" + folder.Path);

        Assert.False(scorers.Status.ModelLoaded);
        Assert.Equal("bm25", scorers.Status.Active);
        Assert.Contains("model.onnx and tokenizer.json", scorers.Status.Error, StringComparison.Ordinal);
        string[] animals = ["cat", "dog", "owl", "fox", "bee", "eel", "yak", "ant", "elk", "hen", "ram", "cod"];
        string text = string.Join(" ", animals.Select(a => $"The {a} sat on the mat near the door. Nobody saw the {a} leave."));
        var result = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30) })
            .Compress(text, new CompressionRequest { Query = "yak" }, ContentType.Text);
        Assert.True(result.Compressed, result.Reason);
        Assert.Equal("bm25", result.Scorer);
        Assert.Equal("model:" + folder.Path + " not loaded", result.ScorerFallback);
    }

    [Fact]
    public void Load_RefusesANonWordPieceTokenizer_NamingTheCheckpointToExport()
    {
        using var folder = new TinyModelFolder();
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), "{\"model\":{\"type\":\"Unigram\",\"vocab\":{}}}");
        using var scorers = ProseScorers.Load("model:" + folder.Path);

        Assert.Equal("bm25", scorers.Status.Active);
        Assert.Contains("WordPiece", scorers.Status.Error, StringComparison.Ordinal);
    }
}
