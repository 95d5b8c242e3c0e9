namespace Headroom.Compressors.Diff;

/// <summary>A changed line shown in part: source chars [From, To) of its text between "…" marks
/// (<see cref="Middle"/>: the changed middle of a replaced line; otherwise its head).</summary>
internal readonly record struct LineCut(int Line, int From, int To, int Saving, bool Middle);
