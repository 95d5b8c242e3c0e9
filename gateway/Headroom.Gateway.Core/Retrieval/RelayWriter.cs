namespace Headroom.Gateway.Retrieval;

/// <summary>
/// The client side of a relayed stream: events are gathered as they are handled and written and
/// flushed together whenever the relay is about to wait (for the upstream, an original, a
/// continuation), so every event reaches the client as soon as its bytes have arrived, in one write
/// per upstream read rather than one per event.
/// </summary>
internal sealed class RelayWriter : IDisposable
{
    private readonly Stream _client;
    private readonly PooledBytes _pending = new(16 * 1024);

    public RelayWriter(Stream client) => _client = client;

    public void Add(ReadOnlySpan<byte> bytes) => _pending.Add(bytes);

    /// <summary>An event with one number replaced (a block index, an output index, a sequence number).</summary>
    public void Add(ReadOnlySpan<byte> raw, ReadOnlySpan<NumberEdit> edits)
    {
        var at = 0;
        Span<byte> digits = stackalloc byte[11];
        foreach (var edit in edits)
        {
            Add(raw[at..edit.Start]);
            edit.Value.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            Add(digits[..written]);
            at = edit.End;
        }

        Add(raw[at..]);
    }

    /// <summary>
    /// An event with numbers of its data replaced (positions relative to the data). A one-line event
    /// keeps every other byte; data joined from several lines goes out as one line (JSON's line breaks
    /// are whitespace), named as it came or <paramref name="name"/>.
    /// </summary>
    public void Add(in SseEvent ev, ReadOnlySpan<NumberEdit> dataEdits, string? name)
    {
        if (dataEdits.IsEmpty)
        {
            Add(ev.Raw.Span);
            return;
        }

        Span<NumberEdit> shifted = stackalloc NumberEdit[dataEdits.Length];
        if (ev.DataOffset >= 0)
        {
            for (var i = 0; i < dataEdits.Length; i++)
            {
                shifted[i] = dataEdits[i] with { Start = dataEdits[i].Start + ev.DataOffset, End = dataEdits[i].End + ev.DataOffset };
            }

            Add(ev.Raw.Span, shifted);
            return;
        }

        if (!ev.Name.IsEmpty || name is not null)
        {
            Add("event: "u8);
            if (ev.Name.IsEmpty)
            {
                Add(System.Text.Encoding.UTF8.GetBytes(name!));
            }
            else
            {
                Add(ev.Name.Span);
            }

            Add("\n"u8);
        }

        Add("data: "u8);
        var start = _pending.Count;
        Add(ev.Data.Span, dataEdits);
        _pending.Replace(start, (byte)'\n', (byte)' ');
        Add("\n\n"u8);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            await _client.WriteAsync(_pending.Memory, cancellationToken).ConfigureAwait(false);
            _pending.Clear();
        }

        await _client.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _pending.Dispose();
}

/// <summary>Replace the bytes [Start, End) of an event with the decimal <see cref="Value"/>.</summary>
internal readonly record struct NumberEdit(int Start, int End, int Value);
