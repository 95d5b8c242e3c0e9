using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Originals;
using Headroom.Provenance.Projections;

namespace Headroom.Provenance.Tests.Infrastructure;

/// <summary>One opened backend, as the contract tests see it.</summary>
internal sealed record Backend(IEventStore Events, IProjectionDocuments Projections, IAsyncProjections AsyncProjections, IOriginalsStore Originals, ICompressionCache Cache, IAsyncDisposable Database) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await AsyncProjections.DisposeAsync();
        await Database.DisposeAsync();
    }
}
