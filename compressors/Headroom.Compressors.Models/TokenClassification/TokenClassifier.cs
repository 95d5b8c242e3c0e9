using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>
/// A keep/drop token classifier in the layout LLMLingua-2 exports to: a folder with <c>model.onnx</c>
/// (inputs <c>input_ids</c>, <c>attention_mask</c> [batch, seq] int64; first output logits
/// [batch, seq, 2] with label 1 = keep, or [batch, seq] / [batch, seq, 1] as one keep logit) and a
/// WordPiece <c>tokenizer.json</c> (optionally <c>config.json</c> for max_position_embeddings).
/// 1. words are tokenised one by one (a word's pieces stay together); 2. pieces are packed into chunks
/// of at most the model's length, never splitting a word; 3. all chunks run in one padded batch;
/// 4. a word's keep probability is the mean over its pieces.
/// </summary>
internal sealed class TokenClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _hasTokenTypes;

    private TokenClassifier(InferenceSession session, BertTokenizer tokenizer, int maxLength, string name)
    {
        _session = session;
        _tokenizer = tokenizer;
        MaxLength = maxLength;
        Name = name;
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>Longest model input in pieces, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>The folder's name, for "model:NAME".</summary>
    public string Name { get; }

    public TimeSpan LoadTime { get; private init; }

    public static TokenClassifier Load(string folder, int intraOpThreads, int? maxLength = null)
    {
        var watch = Stopwatch.StartNew();
        string model = Path.Combine(folder, "model.onnx");
        string tokenizerJson = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(model) || !File.Exists(tokenizerJson))
        {
            throw new FileNotFoundException($"model folder '{folder}' needs model.onnx and tokenizer.json (see README 'Models' for the export).");
        }

        var tokenizer = WordPieceVocabulary.Load(tokenizerJson);
        int max = maxLength ?? WordPieceVocabulary.MaxLength(folder);
        using var options = MiniLm.MiniLmEncoder.SessionOptionsFor(intraOpThreads);
        var session = new InferenceSession(model, options);
        if (!session.InputMetadata.ContainsKey("input_ids") || !session.InputMetadata.ContainsKey("attention_mask"))
        {
            session.Dispose();
            throw new InvalidDataException($"{model}: inputs must include input_ids and attention_mask (has {string.Join(", ", session.InputMetadata.Keys)}).");
        }

        return new TokenClassifier(session, tokenizer, max, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)))) { LoadTime = watch.Elapsed };
    }

    /// <summary>Steps 1-2: pieces per word, packed into chunks of at most <see cref="MaxLength"/>.</summary>
    public List<TokenChunk> Chunk(string text, IReadOnlyList<Word> words)
    {
        int room = MaxLength - 2;
        var cache = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var chunks = new List<TokenChunk>();
        var ids = new List<int>(MaxLength) { _tokenizer.ClassificationTokenId };
        var wordOf = new List<int>(MaxLength) { -1 };
        for (int w = 0; w < words.Count; w++)
        {
            string word = text[words[w].Start..words[w].End];
            if (!cache.TryGetValue(word, out var pieces))
            {
                pieces = [.. _tokenizer.EncodeToIds(word, addSpecialTokens: false)];
                cache[word] = pieces;
            }

            // A word longer than a chunk keeps its first pieces (the rest would only repeat its label).
            int take = Math.Min(pieces.Length, room);
            if (ids.Count - 1 + take > room)
            {
                Flush();
            }

            for (int p = 0; p < take; p++)
            {
                ids.Add(pieces[p]);
                wordOf.Add(w);
            }
        }

        if (ids.Count > 1)
        {
            Flush();
        }

        return chunks;

        void Flush()
        {
            ids.Add(_tokenizer.SeparatorTokenId);
            wordOf.Add(-1);
            chunks.Add(new TokenChunk([.. ids], [.. wordOf]));
            ids.Clear();
            wordOf.Clear();
            ids.Add(_tokenizer.ClassificationTokenId);
            wordOf.Add(-1);
        }
    }

    /// <summary>Padded size of the batch the chunks make.</summary>
    public static long PaddedTokens(IReadOnlyList<TokenChunk> chunks)
    {
        int longest = 0;
        foreach (var c in chunks)
        {
            longest = Math.Max(longest, c.Ids.Length);
        }

        return (long)chunks.Count * longest;
    }

    /// <summary>Steps 3-4: keep probability per word (words without pieces get 0).</summary>
    public double[] KeepProbabilities(IReadOnlyList<TokenChunk> chunks, int wordCount, RunOptions runOptions)
    {
        var probabilities = new double[wordCount];
        if (chunks.Count == 0)
        {
            return probabilities;
        }

        int batch = chunks.Count;
        int length = 0;
        foreach (var c in chunks)
        {
            length = Math.Max(length, c.Ids.Length);
        }

        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < chunks[b].Ids.Length; t++)
            {
                ids[b * length + t] = chunks[b].Ids[t];
                mask[b * length + t] = 1;
            }
        }

        long[] shape = [batch, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[batch * length], shape);
        var names = _hasTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : new[] { "input_ids", "attention_mask" };
        var values = _hasTokenTypes ? new[] { idsValue, maskValue, typesValue } : new[] { idsValue, maskValue };
        using var outputs = _session.Run(runOptions, names, values, [_session.OutputNames[0]]);
        var logits = outputs[0].GetTensorDataAsSpan<float>();
        int labels = logits.Length / (batch * length);
        if (labels is not (1 or 2))
        {
            throw new InvalidDataException($"model output has {labels} values per token; expected 2 (drop, keep) or 1 (keep logit).");
        }

        var pieces = new int[wordCount];
        for (int b = 0; b < batch; b++)
        {
            var chunk = chunks[b];
            for (int t = 0; t < chunk.Ids.Length; t++)
            {
                int w = chunk.WordOf[t];
                if (w < 0)
                {
                    continue;
                }

                int at = (b * length + t) * labels;
                double keep = labels == 2 ? 1 / (1 + Math.Exp(logits[at] - logits[at + 1])) : 1 / (1 + Math.Exp(-logits[at]));
                probabilities[w] += keep;
                pieces[w]++;
            }
        }

        for (int w = 0; w < wordCount; w++)
        {
            probabilities[w] = pieces[w] == 0 ? 0 : Math.Round(probabilities[w] / pieces[w], 4);
        }

        return probabilities;
    }

    public void Dispose() => _session.Dispose();
}
