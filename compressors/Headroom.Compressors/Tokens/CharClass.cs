namespace Headroom.Compressors.Tokens;

/// <summary>
/// The character properties the o200k pre-tokenizer pattern distinguishes. "Upper" and "Lower"
/// are the pattern's two letter sets, not the Unicode categories of the same name:
/// Upper = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], Lower = [\p{Ll}\p{Lm}\p{Lo}\p{M}].
/// </summary>
[Flags]
internal enum CharClass : byte
{
    None = 0,
    Upper = 1,
    Lower = 2,
    Letter = 4,
    Number = 8,
    Space = 16,
    NewLine = 32,
}
