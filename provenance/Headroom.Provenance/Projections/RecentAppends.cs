using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The request_completed events this process appended last, by sequence, as the figures the telemetry summary
/// folds (<see cref="CompletedFigures"/>, block tokens summed), so the projection runner catching up with this
/// process's own writes does not read back and parse every event it has just written. A fixed ring of value
/// slots, allocated once: what it keeps alive per event is its request id and model strings. An event another
/// process appended, one pushed out by newer ones, or one of another type is not here, and the runner reads that
/// page from the store as before.
/// </summary>
internal sealed class RecentAppends
{
    private readonly Slot[] _ring;
    private readonly Lock _gate = new();
    private long _pagesServed;

    public RecentAppends(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new Slot[capacity];
    }

    /// <summary>Pages the runner took from here instead of the store.</summary>
    public long PagesServed => Interlocked.Read(ref _pagesServed);

    /// <summary>Call with the events of a committed transaction only.</summary>
    public void Add(IReadOnlyList<RecordedEvent> committed)
    {
        lock (_gate)
        {
            foreach (var e in committed)
            {
                ref var slot = ref _ring[e.Sequence % _ring.Length];
                if (e.Payload is not RequestCompleted c)
                {
                    slot = default; // a retrieval, say: that page is read from the store
                    continue;
                }

                long before = 0, after = 0;
                foreach (var block in c.Blocks)
                {
                    before += block.TokensBefore;
                    after += block.TokensAfter;
                }

                slot = new Slot
                {
                    Sequence = e.Sequence, Id = e.Id, Version = e.Version, Appended = e.Timestamp, RequestId = c.RequestId,
                    Timestamp = c.Timestamp, Provider = c.Provider, Model = c.Model, Status = c.Status,
                    Input = c.Usage.InputTokens, Output = c.Usage.OutputTokens, CacheRead = c.Usage.CacheReadTokens,
                    Write5m = c.Usage.CacheWrite5mTokens, Write1h = c.Usage.CacheWrite1hTokens,
                    TotalMs = c.TotalMs, TokensBefore = (int)Math.Min(before, int.MaxValue), TokensAfter = (int)Math.Min(after, int.MaxValue),
                };
            }
        }
    }

    /// <summary>
    /// The events numbered after <paramref name="afterSequence"/> up to <paramref name="mark"/>, at most
    /// <paramref name="maxCount"/>, when every one of them is here (each carrying its figures); null when any is not.
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
                ref readonly var s = ref _ring[sequence % _ring.Length];
                if (s.Sequence != sequence || s.RequestId is null)
                {
                    return null;
                }

                var figures = new CompletedFigures
                {
                    RequestId = s.RequestId, Timestamp = s.Timestamp, Provider = s.Provider, Model = s.Model, Status = s.Status,
                    Usage = new TokenUsage { InputTokens = s.Input, OutputTokens = s.Output, CacheReadTokens = s.CacheRead, CacheWrite5mTokens = s.Write5m, CacheWrite1hTokens = s.Write1h },
                    TotalMs = s.TotalMs, Blocks = [new BlockTokens(s.TokensBefore, s.TokensAfter)],
                };
                events[i] = new RecordedEvent(sequence, s.Id, s.RequestId, s.Version, EventSerializer.RequestCompletedType, ReadOnlyMemory<byte>.Empty, s.Appended) { Payload = figures };
            }
        }

        Interlocked.Increment(ref _pagesServed);
        return events;
    }

    private struct Slot
    {
        public long Sequence;
        public Guid Id;
        public long Version;
        public DateTimeOffset Appended;
        public string? RequestId;
        public DateTimeOffset Timestamp;
        public string? Provider;
        public string? Model;
        public int Status;
        public long Input;
        public long Output;
        public long CacheRead;
        public long Write5m;
        public long Write1h;
        public double TotalMs;
        public int TokensBefore;
        public int TokensAfter;
    }
}
