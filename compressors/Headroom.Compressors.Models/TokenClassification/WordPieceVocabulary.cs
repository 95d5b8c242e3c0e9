using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> whose model is WordPiece (BERT, mBERT: the layout the
/// LLMLingua-2 mBERT checkpoint exports) into a <see cref="BertTokenizer"/>. Other model types
/// (XLM-R's Unigram) are refused with a message that says which checkpoint to export instead.
/// </summary>
internal static class WordPieceVocabulary
{
    public static BertTokenizer Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: no model.vocab object; expected a Hugging Face tokenizer.json.");
        }

        string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (type != "WordPiece")
        {
            throw new NotSupportedException($"{path}: tokenizer model '{type}' is not supported; export a WordPiece checkpoint (e.g. llmlingua-2-bert-base-multilingual-cased-meetingbank), see README 'Models'.");
        }

        // 1. vocab.txt in id order (gaps filled with unused names), as BertTokenizer reads it.
        var byId = new SortedDictionary<int, string>();
        foreach (var p in vocab.EnumerateObject())
        {
            byId[p.Value.GetInt32()] = p.Name;
        }

        var text = new StringBuilder();
        int next = 0;
        foreach (var (id, token) in byId)
        {
            for (; next < id; next++)
            {
                text.Append("[unused-gap-").Append(next).Append("]\n");
            }

            text.Append(token).Append('\n');
            next = id + 1;
        }

        // 2. Options from the normalizer and the special tokens.
        bool lower = root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
            && normalizer.TryGetProperty("lowercase", out var lc) && lc.ValueKind == JsonValueKind.True;
        string unk = model.TryGetProperty("unk_token", out var u) ? u.GetString() ?? "[UNK]" : "[UNK]";
        var options = new BertOptions { LowerCaseBeforeTokenization = lower, UnknownToken = unk };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        return BertTokenizer.Create(stream, options);
    }

    /// <summary>The model's longest input: config.json max_position_embeddings, else tokenizer.json truncation.max_length, else 512.</summary>
    public static int MaxLength(string folder)
    {
        string config = Path.Combine(folder, "config.json");
        if (File.Exists(config))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
            if (doc.RootElement.TryGetProperty("max_position_embeddings", out var m) && m.TryGetInt32(out int max) && max > 2)
            {
                return max;
            }
        }

        using var tok = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")));
        if (tok.RootElement.TryGetProperty("truncation", out var tr) && tr.ValueKind == JsonValueKind.Object
            && tr.TryGetProperty("max_length", out var ml) && ml.TryGetInt32(out int length) && length > 2)
        {
            return length;
        }

        return 512;
    }
}
