namespace Headroom.Provenance.EventStore;

/// <summary>
/// Outcome of one stream append: the stream's version afterwards, how many events were new (events
/// whose id was already stored are skipped) and the global sequence of the last new event (0 if none).
/// </summary>
public sealed record AppendResult(string StreamId, long Version, int Appended, long LastSequence);
