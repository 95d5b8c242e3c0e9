namespace Headroom.Compressors.Pipeline;

/// <summary>
/// A deterministic pure function from text to compressed text plus a span map. The same
/// input and request always give the same output bytes (cache invariant 3).
/// </summary>
public interface ICompressor
{
    /// <summary>Stable short name ("json", "log", ...), recorded in provenance.</summary>
    string Name { get; }

    /// <summary>Bumped whenever the output for some input changes; part of the cache key.</summary>
    int Version { get; }

    CompressorOutput Compress(string input, CompressionRequest request);
}
