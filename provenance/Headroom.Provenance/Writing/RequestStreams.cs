using Headroom.Provenance.EventStore;
using Headroom.Provenance.Events;

namespace Headroom.Provenance.Writing;

/// <summary>A batch of provenance events as stream appends: one stream per request.</summary>
internal static class RequestStreams
{
    /// <summary>One append per request, in the order the requests first appear; a request's events keep their order.</summary>
    public static List<StreamAppend> Group(IReadOnlyList<ProvenanceEvent> events)
    {
        var appends = new List<StreamAppend>(events.Count);
        Dictionary<string, List<NewEvent>>? streams = null;
        foreach (var e in events)
        {
            var serialized = EventSerializer.ToNewEvent(e);
            streams ??= new Dictionary<string, List<NewEvent>>(events.Count, StringComparer.Ordinal);
            if (streams.TryGetValue(e.RequestId, out var stream))
            {
                stream.Add(serialized);
                continue;
            }

            stream = [serialized];
            streams.Add(e.RequestId, stream);
            appends.Add(new StreamAppend(e.RequestId, ExpectedVersion.Any, stream));
        }

        return appends;
    }
}
