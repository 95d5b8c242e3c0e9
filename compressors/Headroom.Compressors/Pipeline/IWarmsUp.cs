namespace Headroom.Compressors.Pipeline;

/// <summary>
/// A compressor with a one-time cost (loading a parser, JIT of a large library) that it pays on first use
/// rather than at start. The pipeline calls <see cref="WarmUp"/> before the time budget starts, so the
/// first call decides exactly as every later one does: the same input, the same bytes (invariant 3).
/// </summary>
internal interface IWarmsUp
{
    /// <summary>Pays the one-time cost this input would need, once per process; cheap once paid.</summary>
    void WarmUp(string input, string? language);
}
