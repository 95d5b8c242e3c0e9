namespace Headroom.Provenance.EventStore;

/// <summary>
/// The version a stream must be at for an append to succeed: <see cref="Any"/>, <see cref="NoStream"/>
/// (the stream must not exist) or an exact version (the version of the stream's last event; the first
/// event of a stream has version 1).
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>-1 for any, 0 for no stream, otherwise the exact version.</summary>
    public long Value { get; }

    public static ExpectedVersion Any { get; } = new(-1);

    public static ExpectedVersion NoStream { get; } = new(0);

    public bool IsAny => Value < 0;

    public static ExpectedVersion Exact(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new ExpectedVersion(version);
    }

    /// <summary>Whether a stream currently at <paramref name="actual"/> (0 when absent) satisfies this expectation.</summary>
    public bool IsSatisfiedBy(long actual) => IsAny || Value == actual;

    public override string ToString() => Value switch
    {
        < 0 => "any",
        0 => "no stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
