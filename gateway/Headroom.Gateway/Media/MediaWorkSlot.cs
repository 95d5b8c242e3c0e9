namespace Headroom.Gateway.Media;

/// <summary>One unit of media work in progress; disposing it (once) frees the slot.</summary>
internal sealed class MediaWorkSlot : IDisposable
{
    private SemaphoreSlim? _slots;

    public MediaWorkSlot(SemaphoreSlim slots)
    {
        _slots = slots;
    }

    /// <summary>Frees the slot when <paramref name="work"/> ends: work abandoned at its time budget still holds it.</summary>
    public void ReleaseAfter(Task work)
    {
        if (work.IsCompleted)
        {
            Dispose();
            return;
        }

        work.ContinueWith(static (t, state) =>
        {
            _ = t.Exception; // observed: an abandoned decode that failed later is no unobserved-task event
            ((MediaWorkSlot)state!).Dispose();
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose() => Interlocked.Exchange(ref _slots, null)?.Release();
}
