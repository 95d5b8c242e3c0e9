using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Tests.Writing;

/// <summary>A real store that can be switched "down" (appends throw) or held (appends wait on a gate).</summary>
internal sealed class FlakyEventStore(IEventStore inner) : IEventStore
{
    public volatile bool Down;

    private int _batches;

    /// <summary>Append transactions asked of the store, failed ones included.</summary>
    public int Batches => Volatile.Read(ref _batches);

    public TaskCompletionSource Gate { get; set; } = CreateOpenGate();

    public static TaskCompletionSource CreateOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _batches);
        await Gate.Task.WaitAsync(cancellationToken);
        if (Down)
        {
            throw new IOException("store unreachable (test)");
        }

        return await inner.AppendBatchAsync(appends, cancellationToken);
    }

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([new StreamAppend(streamId, expected, events)], cancellationToken))[0];

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default) => inner.ReadStreamAsync(streamId, cancellationToken);

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default) => inner.ReadAllAsync(afterSequence, maxCount, cancellationToken);

    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public Task<long> CountEventsAsync(CancellationToken cancellationToken = default) => inner.CountEventsAsync(cancellationToken);
}
