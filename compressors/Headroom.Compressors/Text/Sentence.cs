namespace Headroom.Compressors.Text;

/// <summary>One sentence of prose: source range [Start, End) (no surrounding whitespace), its paragraph and line.</summary>
internal readonly record struct Sentence(int Start, int End, int Paragraph, int IndexInParagraph, int Line);
