namespace Headroom.Provenance.EventStore;

/// <summary>Argument checks shared by the backends: misuse throws before any I/O.</summary>
internal static class AppendValidation
{
    public static void Validate(IReadOnlyList<StreamAppend> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            ArgumentNullException.ThrowIfNull(append);
            ArgumentException.ThrowIfNullOrEmpty(append.StreamId);
            ArgumentNullException.ThrowIfNull(append.Events);
            foreach (var e in append.Events)
            {
                ArgumentNullException.ThrowIfNull(e);
                ArgumentException.ThrowIfNullOrEmpty(e.Type);
                if (e.Id == Guid.Empty)
                {
                    throw new ArgumentException("Every event needs a non-empty id (it makes appends idempotent).", nameof(appends));
                }
            }
        }
    }

    /// <summary>Index of all event ids in the batch, throwing when one id appears twice.</summary>
    public static Guid[] CollectIds(IReadOnlyList<StreamAppend> appends)
    {
        var ids = new List<Guid>();
        var seen = new HashSet<Guid>();
        foreach (var append in appends)
        {
            foreach (var e in append.Events)
            {
                if (!seen.Add(e.Id))
                {
                    throw new ArgumentException($"Event id {e.Id} appears twice in one append.", nameof(appends));
                }

                ids.Add(e.Id);
            }
        }

        return [.. ids];
    }
}
