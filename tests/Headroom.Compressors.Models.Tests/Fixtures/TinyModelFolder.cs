using System.Text;
using System.Text.Json;

namespace Headroom.Compressors.Models.Tests.Fixtures;

/// <summary>
/// A token-classification model folder in the LLMLingua-2 export layout, made here: model.onnx is
/// Gather(table, input_ids) × attention_mask, where row id of the table is (0, +2) for an even id
/// (keep, p = 0.8808) and (+2, 0) for an odd one (drop, p = 0.1192); tokenizer.json is a lower-casing
/// WordPiece vocabulary; config.json sets max_position_embeddings.
/// </summary>
internal sealed class TinyModelFolder : IDisposable
{
    public const double KeepP = 0.8808;
    public const double DropP = 0.1192;

    /// <summary>Id order: even ids are kept by the rule.</summary>
    public static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "the", "cat", "sat", "on", "mat", "dog", "ran", "##s", "##ing", "big", "a", ".", "run", "jump", ",",
    ];

    public TinyModelFolder(int maxLength = 512, bool writeModel = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "headroom-tiny-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (writeModel)
        {
            File.WriteAllBytes(System.IO.Path.Combine(Path, "model.onnx"), BuildModel(Vocabulary.Length));
        }

        File.WriteAllText(System.IO.Path.Combine(Path, "tokenizer.json"), BuildTokenizerJson());
        File.WriteAllText(System.IO.Path.Combine(Path, "config.json"), $"{{\"max_position_embeddings\": {maxLength}, \"num_labels\": 2}}");
    }

    public string Path { get; }

    public static int IdOf(string token) => Array.IndexOf(Vocabulary, token);

    public static byte[] BuildModel(int vocabularySize)
    {
        var table = new float[vocabularySize * 2];
        for (int id = 0; id < vocabularySize; id++)
        {
            table[id * 2 + (id % 2 == 0 ? 1 : 0)] = 2f;
        }

        var tableBytes = new byte[table.Length * 4];
        Buffer.BlockCopy(table, 0, tableBytes, 0, tableBytes.Length);
        byte[] axes = BitConverter.GetBytes(2L);
        return new OnnxWriter()
            .Varint(1, 8) // ir_version
            .String(2, "headroom-tests")
            .Message(7, graph => graph
                .Message(1, OnnxWriter.Node("Gather", ["table", "input_ids"], ["gathered"], "gather"))
                .Message(1, OnnxWriter.Node("Cast", ["attention_mask"], ["mask_f"], "cast", ("to", OnnxWriter.Float)))
                .Message(1, OnnxWriter.Node("Unsqueeze", ["mask_f", "axes"], ["mask_3"], "unsqueeze"))
                .Message(1, OnnxWriter.Node("Mul", ["gathered", "mask_3"], ["logits"], "mul"))
                .String(2, "tiny-keep-even")
                .Message(5, OnnxWriter.Tensor("table", OnnxWriter.Float, [vocabularySize, 2], tableBytes))
                .Message(5, OnnxWriter.Tensor("axes", OnnxWriter.Int64, [1], axes))
                .Message(11, OnnxWriter.Value("input_ids", OnnxWriter.Int64, "batch", "sequence"))
                .Message(11, OnnxWriter.Value("attention_mask", OnnxWriter.Int64, "batch", "sequence"))
                .Message(12, OnnxWriter.Value("logits", OnnxWriter.Float, "batch", "sequence", 2)))
            .Message(8, opset => opset.String(1, "").Varint(2, 13))
            .ToArray();
    }

    private static string BuildTokenizerJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteStartObject("normalizer");
            w.WriteString("type", "BertNormalizer");
            w.WriteBoolean("lowercase", true);
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "WordPiece");
            w.WriteString("unk_token", "[UNK]");
            w.WriteString("continuing_subword_prefix", "##");
            w.WriteStartObject("vocab");
            for (int i = 0; i < Vocabulary.Length; i++)
            {
                w.WriteNumber(Vocabulary[i], i);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
