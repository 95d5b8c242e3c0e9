namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>One whitespace-delimited word of the input: [Start, End) and whether it is always kept.</summary>
internal readonly record struct Word(int Start, int End, bool Forced);
