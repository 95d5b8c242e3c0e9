using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;
using Headroom.Provenance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

public sealed class HighWaterMarkDetectorTests
{
    [Fact]
    public async Task Detect_StopsBeforeAGap_UntilItFillsOrSettles()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeSequences([1, 2, 4, 5, 7]);
        var detector = new HighWaterMarkDetector(store, clock, TimeSpan.FromSeconds(3), NullLogger.Instance);

        Assert.Equal(2, await detector.DetectAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        store.Sequences.Add(3);
        Assert.Equal(5, await detector.DetectAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(5, await detector.DetectAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(7, await detector.DetectAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Detect_NoEvents_IsZero()
    {
        var detector = new HighWaterMarkDetector(new FakeSequences([]), new ManualTimeProvider(), TimeSpan.FromSeconds(3), NullLogger.Instance);

        Assert.Equal(0, await detector.DetectAsync(CancellationToken.None));
    }

    private sealed class FakeSequences(List<long> sequences) : IProjectionStore
    {
        public List<long> Sequences { get; } = sequences;

        public Task<IReadOnlyList<long>> ReadSequencesAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<long>>(Sequences.Where(s => s > afterSequence).Order().Take(limit).ToList());

        public Task<long> ReadProgressAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> TryApplyAsync(IProjection projection, long expectedProgress, long newProgress, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
