using Headroom.Compressors.Models.MiniLm;

namespace Headroom.Compressors.Models.Tests.MiniLm;

/// <summary>The shipped MiniLM encoder, loaded once for the class (about a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    internal MiniLmEncoder Encoder { get; } = MiniLmEncoder.Load(1);

    public void Dispose() => Encoder.Dispose();
}
