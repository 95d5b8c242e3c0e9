using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Media;

/// <summary>
/// Bounds how much media work (ffmpeg runs, image decodes) runs at once, for <c>/media/*</c> and the live
/// zone together (<c>Headroom:Media:MaxConcurrent</c>, default 2: one per core of a small machine). A decoded
/// image can take hundreds of megabytes and a core; without a bound, a few large uploads take the gateway.
/// </summary>
internal sealed class MediaWorkLimiter : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public MediaWorkLimiter(IConfiguration configuration)
    {
        Capacity = Math.Max(1, MediaSettings.From(configuration).MaxConcurrent);
        _slots = new SemaphoreSlim(Capacity, Capacity);
    }

    public int Capacity { get; }

    /// <summary>A slot, or null when none freed up within <paramref name="wait"/> (zero: only if one is free now).</summary>
    public async ValueTask<MediaWorkSlot?> TryEnterAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        await _slots.WaitAsync(wait, cancellationToken).ConfigureAwait(false) ? new MediaWorkSlot(_slots) : null;

    public void Dispose() => _slots.Dispose();
}
