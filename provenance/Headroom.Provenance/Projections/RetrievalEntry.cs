namespace Headroom.Provenance.Projections;

/// <summary>One original served back during a request.</summary>
public sealed record RetrievalEntry(string Hash, bool Found, int Bytes, string? Via, DateTimeOffset At);
