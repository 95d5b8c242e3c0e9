using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The events this process appended last, by sequence, in the form the async projections fold (a request's
/// figures, not its JSON), so the projection runner catching up with this process's own writes does not read
/// back and parse every event it has just written. A fixed ring: an event another process appended, or one
/// pushed out by newer ones, or of a type with no summary, is not here, and the runner reads that page from
/// the store as before.
/// </summary>
internal sealed class RecentAppends
{
    private readonly RecordedEvent?[] _ring;
    private readonly Func<RecordedEvent, object?> _summarize;
    private readonly Lock _gate = new();
    private long _pagesServed;

    public RecentAppends(int capacity, Func<RecordedEvent, object?> summarize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new RecordedEvent?[capacity];
        _summarize = summarize;
    }

    /// <summary>Pages the runner took from here instead of the store.</summary>
    public long PagesServed => Interlocked.Read(ref _pagesServed);

    /// <summary>What the projection folds for a request_completed event this process appended (its figures), else null.</summary>
    public static object? SummarizeForTelemetry(RecordedEvent e) =>
        e.Payload is Events.RequestCompleted completed ? CompletedFigures.From(completed) : null;

    /// <summary>Call with the events of a committed transaction only.</summary>
    public void Add(IReadOnlyList<RecordedEvent> committed)
    {
        lock (_gate)
        {
            foreach (var e in committed)
            {
                var summary = _summarize(e);
                _ring[e.Sequence % _ring.Length] = summary is null
                    ? null
                    : new RecordedEvent(e.Sequence, e.Id, e.StreamId, e.Version, e.Type, ReadOnlyMemory<byte>.Empty, e.Timestamp) { Payload = summary };
            }
        }
    }

    /// <summary>
    /// The events numbered after <paramref name="afterSequence"/> up to <paramref name="mark"/>, at most
    /// <paramref name="maxCount"/>, when every one of them is here; null when any is not.
    /// </summary>
    public IReadOnlyList<RecordedEvent>? TryRead(long afterSequence, long mark, int maxCount)
    {
        var count = (int)Math.Min(maxCount, mark - afterSequence);
        if (count <= 0 || count > _ring.Length)
        {
            return null;
        }

        var events = new RecordedEvent[count];
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var sequence = afterSequence + 1 + i;
                if (_ring[sequence % _ring.Length] is not { } e || e.Sequence != sequence)
                {
                    return null;
                }

                events[i] = e;
            }
        }

        Interlocked.Increment(ref _pagesServed);
        return events;
    }
}
