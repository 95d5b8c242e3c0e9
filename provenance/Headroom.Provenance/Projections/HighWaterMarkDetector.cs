using Headroom.Provenance.EventStore;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Projections;

/// <summary>
/// The highest sequence below which every number is taken (Marten's high-water mark). A hole means either
/// a transaction still in flight (its events will appear) or a number burned by a rollback (it never will).
/// A hole is waited for; once it has stayed open for the settle time it is treated as burned and skipped.
/// </summary>
internal sealed class HighWaterMarkDetector(IProjectionStore store, TimeProvider timeProvider, TimeSpan settleTime, ILogger logger)
{
    private const int Page = 10_000;
    private long? _gapAfter;
    private DateTimeOffset _gapSince;

    public long Mark { get; private set; }

    /// <summary>Starts scanning from <paramref name="position"/> when that is ahead of the current mark (saves a scan from 0 after a restart).</summary>
    public void FastForward(long position)
    {
        if (position > Mark)
        {
            Mark = position;
            _gapAfter = null;
        }
    }

    public async Task<long> DetectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var sequences = await store.ReadSequencesAfterAsync(Mark, Page, cancellationToken).ConfigureAwait(false);
            foreach (var sequence in sequences)
            {
                if (sequence == Mark + 1)
                {
                    Mark = sequence;
                    continue;
                }

                var now = timeProvider.GetUtcNow();
                if (_gapAfter != Mark)
                {
                    _gapAfter = Mark;
                    _gapSince = now;
                    return Mark;
                }

                if (now - _gapSince < settleTime)
                {
                    return Mark;
                }

                ProvenanceLog.GapSkipped(logger, "high-water mark", Mark, settleTime.TotalMilliseconds);
                _gapAfter = null;
                Mark = sequence;
            }

            if (sequences.Count < Page)
            {
                return Mark;
            }
        }
    }
}
