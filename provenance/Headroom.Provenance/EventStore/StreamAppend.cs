namespace Headroom.Provenance.EventStore;

/// <summary>Events to append to one stream, with the version the stream is expected to be at.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<NewEvent> Events);
