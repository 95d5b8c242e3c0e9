namespace Headroom.Gateway.Forwarding;

/// <summary>
/// A read-only view of an upstream body whose every read must make progress within the idle timeout
/// (<c>Headroom:UpstreamIdleTimeoutSeconds</c>), as YARP's activity timeout does on the forwarding
/// path: a silent upstream ends in <see cref="TimeoutException"/> instead of holding the client.
/// </summary>
internal sealed class IdleTimeoutStream : ReadOnlyWrapperStream
{
    private readonly TimeSpan _idle;

    public IdleTimeoutStream(Stream inner, TimeSpan idle)
        : base(inner) => _idle = idle;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idle);
        try
        {
            return await Inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The upstream sent nothing for {_idle.TotalSeconds:0.#} s.");
        }
    }
}
