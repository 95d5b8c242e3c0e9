namespace Headroom.Bench.Compressors.Oracles;

/// <summary>Whether an output says that something was left out and how to get it back (the
/// gateway's retrieve instruction), read as an agent would read it.</summary>
internal static class MarkerText
{
    public static bool Present(string output) => output.Contains("headroom_retrieve", StringComparison.Ordinal);
}
