namespace Headroom.Provenance.Projections;

/// <summary>Whatever keeps the async projections current: the embedded store's runner, or Marten's async daemon.</summary>
internal interface IAsyncProjections : IAsyncDisposable
{
    /// <summary>Keeps the projections current in the background until disposed.</summary>
    Task StartAsync(TimeSpan pollInterval, CancellationToken cancellationToken);

    /// <summary>Brings every async projection up to the events stored now.</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);
}
