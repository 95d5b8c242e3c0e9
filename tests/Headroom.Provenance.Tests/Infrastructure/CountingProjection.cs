using System.Globalization;
using System.Text;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;

namespace Headroom.Provenance.Tests.Infrastructure;

/// <summary>Counts events per stream and in total ("*"), as JSON numbers: enough to see what ran, once.</summary>
internal sealed class CountingProjection(string name = "counting") : IProjection
{
    public const string Total = "*";

    public string Name => name;

    public string DocumentType => "count_" + name;

    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, IDocumentSession session, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.StreamId).Append(Total).ToHashSet(StringComparer.Ordinal);
        var stored = await session.LoadManyAsync(DocumentType, ids, cancellationToken);
        var counts = ids.ToDictionary(id => id, id => stored.TryGetValue(id, out var json) ? long.Parse(Encoding.UTF8.GetString(json), CultureInfo.InvariantCulture) : 0, StringComparer.Ordinal);
        foreach (var e in events)
        {
            counts[e.StreamId]++;
            counts[Total]++;
        }

        await session.UpsertManyAsync(DocumentType, counts.Select(c => new KeyValuePair<string, byte[]>(c.Key, Encoding.UTF8.GetBytes(c.Value.ToString(CultureInfo.InvariantCulture)))).ToList(), cancellationToken);
    }

    public async Task<long> CountAsync(IProjectionDocuments store, string id = Total)
    {
        var json = await store.LoadDocumentAsync(DocumentType, id, CancellationToken.None);
        return json is null ? 0 : long.Parse(Encoding.UTF8.GetString(json), CultureInfo.InvariantCulture);
    }
}
