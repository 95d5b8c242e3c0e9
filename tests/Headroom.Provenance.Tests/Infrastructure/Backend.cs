using Headroom.Provenance.Caching;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Originals;

namespace Headroom.Provenance.Tests.Infrastructure;

/// <summary>One opened backend, as the contract tests see it.</summary>
internal sealed record Backend(IEventStore Events, IProjectionStore Projections, IOriginalsStore Originals, ICompressionCache Cache, IAsyncDisposable Database) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
