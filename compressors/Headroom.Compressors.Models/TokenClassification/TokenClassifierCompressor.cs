using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>
/// Prose through a keep/drop token classifier (LLMLingua-2 style): 1. words; 2. chunks; 3. one model run
/// under the <see cref="ModelGate"/>; 4. keep by ratio or threshold, forced words always; 5. runs of kept
/// words are copied verbatim (Kept spans), a gap becomes one space (or a newline where a line broke),
/// one marker at the end. Over budget, busy or failing, the BM25 prose compressor answers instead and the
/// result names the fallback.
/// </summary>
internal sealed class TokenClassifierCompressor : ICompressor, IDisposable
{
    private readonly TokenClassifier _model;
    private readonly ModelScorerOptions _options;
    private readonly ModelGate _gate;
    private readonly ICompressor _fallback;

    public TokenClassifierCompressor(TokenClassifier model, ModelScorerOptions options, ICompressor? fallback = null)
    {
        _model = model;
        _options = options;
        _gate = new ModelGate(options);
        _fallback = fallback ?? new ProseCompressor();
        Calibrate();
    }

    public string Name => "text";

    public int Version => 1;

    public string Scorer => "model:" + _model.Name;

    public double MsPerToken => _gate.MsPerToken;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);

        // 1-2. Words and chunks.
        var words = WordSplitter.Split(input);
        var chunks = _model.Chunk(input, words);

        // 3. The model, if it fits.
        double[]? probabilities = null;
        string? fallback = _gate.TryRun(TokenClassifier.PaddedTokens(chunks), request.CancellationToken, run => probabilities = _model.KeepProbabilities(chunks, words.Count, run));
        if (fallback is not null || probabilities is null)
        {
            return _fallback.Compress(input, request) with { ScorerFallback = fallback ?? "model returned nothing" };
        }

        // 4. Selection.
        double ratio = Math.Clamp(_options.KeepRatio * Math.Max(0, request.KeepFactor), 0, 1);
        var keep = WordSelector.Select(words, probabilities, ratio, _options.KeepThreshold);
        return Write(input, words, keep, request) with { Scorer = Scorer };
    }

    /// <summary>Step 5.</summary>
    internal static CompressorOutput Write(string input, IReadOnlyList<Word> words, bool[] keep, CompressionRequest request)
    {
        int kept = 0;
        foreach (bool k in keep)
        {
            kept += k ? 1 : 0;
        }

        var output = new TrackedOutput(input.Length / 2);
        if (kept == words.Count)
        {
            output.Kept(input, 0, input.Length);
            return output.Build(lossy: false);
        }

        int runStart = -1;
        int lastKept = -1;
        for (int w = 0; w <= words.Count; w++)
        {
            bool k = w < words.Count && keep[w];
            if (k && runStart < 0)
            {
                if (lastKept >= 0)
                {
                    output.Summary(input.AsSpan(words[lastKept].End, words[w].Start - words[lastKept].End).Contains('\n') ? "\n" : " ");
                }

                runStart = w;
            }
            else if (!k && runStart >= 0)
            {
                output.Kept(input, words[runStart].Start, words[w - 1].End);
                lastKept = w - 1;
                runStart = -1;
            }
        }

        string hash = OmissionMarker.HashOf(input, request.OriginalHash);
        output.Summary(kept > 0 ? "\n" : "");
        output.Marker(
            Headroom.Compressors.Markers.MarkerFormat.Format(words.Count - kept, words.Count, Headroom.Compressors.Markers.MarkerUnit.Items, "words the model judged least informative", hash),
            0,
            input.Length);
        return output.Build(lossy: true);
    }

    /// <summary>Per-token cost for the gate's estimate: the second of two runs of one full-length chunk.</summary>
    private void Calibrate()
    {
        int n = Math.Min(_model.MaxLength, 128);
        var chunk = new TokenChunk(new int[n], new int[n]);
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        _model.KeepProbabilities([chunk], 1, run);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _model.KeepProbabilities([chunk], 1, run);
        _gate.MsPerToken = watch.Elapsed.TotalMilliseconds / n;
    }

    public void Dispose()
    {
        _gate.Dispose();
        _model.Dispose();
    }
}
