using Headroom.Provenance.Events;

namespace Headroom.Provenance.Writing;

/// <summary>
/// Records provenance events without ever making the caller wait on the database: events go through a
/// bounded channel to a batching writer (one transaction per batch); when the store is unreachable, or
/// the channel is full, they go to a local spool file that is replayed when the store is back.
/// </summary>
public interface IProvenanceWriter
{
    /// <summary>Queues the event; never blocks on I/O (at worst appends one line to the spool file).</summary>
    void Record(ProvenanceEvent e);

    /// <summary>Completes when every event recorded before the call is in the store or in the spool.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    ProvenanceWriterStats Stats { get; }
}
