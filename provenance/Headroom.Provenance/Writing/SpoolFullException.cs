namespace Headroom.Provenance.Writing;

/// <summary>The spool has reached its disk cap (<see cref="ProvenanceOptions.SpoolMaxBytes"/>); the events were not written.</summary>
public sealed class SpoolFullException : IOException
{
    public SpoolFullException()
    {
    }

    public SpoolFullException(string message)
        : base(message)
    {
    }

    public SpoolFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
