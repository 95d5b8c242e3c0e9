namespace Headroom.Provenance.Caching;

/// <summary>What determines a compression's output: the original, the compressor and its version, the options.</summary>
public sealed record CompressionCacheKey(string OriginalHash, string Compressor, string CompressorVersion, string OptionsFingerprint)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(OriginalHash);
        ArgumentException.ThrowIfNullOrEmpty(Compressor);
        ArgumentNullException.ThrowIfNull(CompressorVersion);
        ArgumentNullException.ThrowIfNull(OptionsFingerprint);
    }
}
