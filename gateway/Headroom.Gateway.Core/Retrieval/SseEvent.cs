namespace Headroom.Gateway.Retrieval;

/// <summary>
/// One server-sent event: its bytes as received (blank line included), its joined data and its name.
/// The memory belongs to the <see cref="SseEventReader"/> until the next read; <see cref="Detach"/> keeps a copy.
/// </summary>
internal readonly struct SseEvent
{
    public SseEvent(ReadOnlyMemory<byte> raw, ReadOnlyMemory<byte> data, int dataOffset, ReadOnlyMemory<byte> name)
    {
        Raw = raw;
        Data = data;
        DataOffset = dataOffset;
        Name = name;
    }

    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The data lines joined with \n (the "data:" prefixes and one leading space removed).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Where <see cref="Data"/> starts inside <see cref="Raw"/> when it is one data line; -1 when joined.</summary>
    public int DataOffset { get; }

    /// <summary>The event's name (the "event:" field, trimmed), or empty.</summary>
    public ReadOnlyMemory<byte> Name { get; }

    public bool IsEmpty => Raw.IsEmpty;

    public string? NameString => Name.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(Name.Span);

    /// <summary>An event that owns its bytes (for events held back past the next read).</summary>
    public SseEvent Detach() => SseEventReader.Parse(Raw.ToArray());
}
