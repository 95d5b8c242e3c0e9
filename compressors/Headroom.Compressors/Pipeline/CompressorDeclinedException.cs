namespace Headroom.Compressors.Pipeline;

/// <summary>
/// A compressor looked at its input and chose not to work on it (for example HTML nested too deep to
/// parse in bounded time). The pipeline forwards the original with <see cref="Exception.Message"/> as the
/// reason; unlike any other exception it is not a compressor error.
/// </summary>
public sealed class CompressorDeclinedException : Exception
{
    public CompressorDeclinedException(string reason)
        : base(reason)
    {
    }

    public CompressorDeclinedException()
    {
    }

    public CompressorDeclinedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
