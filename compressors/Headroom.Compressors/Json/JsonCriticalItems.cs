namespace Headroom.Compressors.Json;

/// <summary>The items of one array that must be kept: odd shapes, errors and query matches, whole
/// (<see cref="Whole"/>: no array inside them thinned), and items holding one of those inside (kept,
/// their own arrays thinned as usual). Both arrays are indexed by item.</summary>
internal sealed record JsonCriticalItems(bool[] Protected, bool[] Whole, int Shape, int Errors, int Queried)
{
    /// <summary>Items protected only for what they hold.</summary>
    public int Nested { get; init; }

    public bool Any => Shape + Errors + Queried + Nested > 0;
}
