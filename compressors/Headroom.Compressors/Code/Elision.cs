namespace Headroom.Compressors.Code;

/// <summary>
/// Whole source lines [<see cref="Start"/>, <see cref="End"/>) (char offsets, both at line starts)
/// replaced by <see cref="Replacement"/> (a marker comment line, or nothing). <see cref="Lines"/> is how
/// many lines it stands for; <see cref="Name"/> names the member whose body it was, for the marker.
/// </summary>
internal readonly record struct Elision(int Start, int End, int Lines, string Indent, string? Name, ElisionKind Kind, string Suffix = "");
