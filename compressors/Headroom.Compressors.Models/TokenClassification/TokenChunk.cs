namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>One model input: [CLS] pieces [SEP], and for each piece the word it belongs to (-1 for specials).</summary>
internal sealed record TokenChunk(int[] Ids, int[] WordOf);
