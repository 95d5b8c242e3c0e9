namespace Headroom.Compressors.Json;

/// <summary>A column read off column <paramref name="Source"/>: its text before (or after) the last <paramref name="Separator"/>.</summary>
internal sealed record JsonDerivation(int Source, char Separator, bool Before);
