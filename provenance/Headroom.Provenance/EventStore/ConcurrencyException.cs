namespace Headroom.Provenance.EventStore;

/// <summary>
/// The one conflict an append can meet: the stream was not at the expected version, or a concurrent
/// writer won a unique constraint (same stream version or same event id). Nothing of the append was stored;
/// re-read the stream and retry.
/// </summary>
public sealed class ConcurrencyException : Exception
{
    public ConcurrencyException()
    {
    }

    public ConcurrencyException(string message)
        : base(message)
    {
    }

    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConcurrencyException(string streamId, ExpectedVersion expected, long? actual, Exception? innerException = null)
        : base(FormattableString.Invariant($"Stream '{streamId}' expected at version {expected} but is at {(actual is null ? "an unknown version" : actual.Value == 0 ? "no stream" : actual.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}; re-read the stream and retry."), innerException)
    {
        StreamId = streamId;
        Expected = expected;
        Actual = actual;
    }

    public string? StreamId { get; }

    public ExpectedVersion? Expected { get; }

    /// <summary>The version the stream was at (0 = no stream), when known.</summary>
    public long? Actual { get; }
}
