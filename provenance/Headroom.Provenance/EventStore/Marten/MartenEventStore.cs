using System.Text;
using System.Text.Json;
using Headroom.Provenance.Projections;
using Marten;
using Npgsql;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// The event store on PostgreSQL through Marten: one stream per request (string stream keys), appended in
/// Marten's Quick mode, inline projections in Marten's append transaction. An append: (1) skip events whose
/// id is stored, (2) check non-Any expectations before Marten draws sequence numbers (a refused append burns
/// none), (3) append through one Marten session (all streams or none), (4) report versions and sequences.
/// Reads go straight to Marten's mt_events / mt_streams tables, in sequence order.
/// </summary>
internal sealed class MartenEventStore(MartenDatabase database) : IEventStore, IProjectionDocuments
{
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        var results = await AppendBatchAsync([new StreamAppend(streamId, expected, events)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        AppendValidation.Validate(appends);
        var ids = AppendValidation.CollectIds(appends);

        // 1. Idempotency: events already stored are skipped.
        var stored = await ReadStoredIdsAsync(ids, cancellationToken).ConfigureAwait(false);
        var fresh = new List<NewEvent>[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            fresh[i] = stored.Count == 0 ? [.. appends[i].Events] : appends[i].Events.Where(e => !stored.Contains(e.Id)).ToList();
        }

        // 2. Expectations other than Any, checked against the stored versions before anything is drawn.
        var checkedStreams = appends.Where(a => !a.Expected.IsAny).Select(a => a.StreamId)
            .Concat(Enumerable.Range(0, appends.Count).Where(i => fresh[i].Count == 0).Select(i => appends[i].StreamId))
            .Distinct(StringComparer.Ordinal).ToArray();
        var before = checkedStreams.Length == 0 ? [] : await ReadVersionsAsync(checkedStreams, cancellationToken).ConfigureAwait(false);
        var running = new Dictionary<string, long>(before, StringComparer.Ordinal);
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            if (append.Expected.IsAny || fresh[i].Count == 0)
            {
                continue;
            }

            var actual = running.GetValueOrDefault(append.StreamId);
            if (!append.Expected.IsSatisfiedBy(actual))
            {
                throw new ConcurrencyException(append.StreamId, append.Expected, actual);
            }

            running[append.StreamId] = actual + fresh[i].Count;
        }

        // 3. One Marten session: every stream's events or none.
        var session = database.Store.LightweightSession();
        await using (session.ConfigureAwait(false))
        {
            var appended = new List<JasperFx.Events.IEvent>[appends.Count];
            var touched = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < appends.Count; i++)
            {
                var append = appends[i];
                appended[i] = new List<JasperFx.Events.IEvent>(fresh[i].Count);
                if (fresh[i].Count == 0)
                {
                    continue;
                }

                foreach (var e in fresh[i])
                {
                    appended[i].Add(MartenEvents.ToAppend(database.Store.Events, e));
                }

                var first = touched.Add(append.StreamId);
                if (append.Expected.IsAny || !first)
                {
                    session.Events.Append(append.StreamId, appended[i]);
                }
                else if (append.Expected.Value == 0)
                {
                    session.Events.StartStream(append.StreamId, appended[i]);
                }
                else
                {
                    // Marten's expected version is the stream's version after this append.
                    session.Events.Append(append.StreamId, append.Expected.Value + appended[i].Count, appended[i]);
                }
            }

            if (touched.Count > 0)
            {
                try
                {
                    await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConflict(ex))
                {
                    throw new ConcurrencyException($"A concurrent append won ({ex.GetBaseException().Message}); nothing was stored. Re-read the stream and retry.", ex);
                }
            }

            // 4. What each append got.
            var results = new AppendResult[appends.Count];
            for (var i = 0; i < appends.Count; i++)
            {
                var events = appended[i];
                results[i] = events.Count == 0
                    ? new AppendResult(appends[i].StreamId, before.GetValueOrDefault(appends[i].StreamId), 0, 0)
                    : new AppendResult(appends[i].StreamId, events[^1].Version, events.Count, events[^1].Sequence);
            }

            return results;
        }
    }

    private static bool IsConflict(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case JasperFx.ConcurrencyException or global::Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException:
                    return true;
                case PostgresException pg when pg.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure:
                    return true;
            }
        }

        return false;
    }

    private async Task<HashSet<Guid>> ReadStoredIdsAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        var stored = new HashSet<Guid>();
        if (ids.Length == 0)
        {
            return stored;
        }

        await using var command = database.DataSource.CreateCommand($"SELECT id FROM {database.Events} WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetGuid(0));
        }

        return stored;
    }

    private async Task<Dictionary<string, long>> ReadVersionsAsync(string[] streams, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = database.DataSource.CreateCommand($"SELECT id, version FROM {database.Streams} WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return ReadEventsAsync($"WHERE stream_id = $1 ORDER BY version", streamId, null, cancellationToken);
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return ReadEventsAsync("WHERE seq_id > $1 ORDER BY seq_id LIMIT $2", afterSequence, maxCount, cancellationToken);
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync<T>(string where, T first, int? limit, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await using var command = database.DataSource.CreateCommand($"SELECT seq_id, id, stream_id, version, type, data::text, timestamp FROM {database.Events} {where}");
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = first });
        if (limit is { } max)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var type = reader.GetString(4);
            var data = Encoding.UTF8.GetBytes(reader.GetString(5));
            if (type == OpaqueEvent.Alias)
            {
                (type, data) = Unwrap(data);
            }

            events.Add(new RecordedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), type, data, reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return events;
    }

    private static (string Type, byte[] Data) Unwrap(byte[] json)
    {
        using var parsed = JsonDocument.Parse(json);
        var root = parsed.RootElement;
        return (root.GetProperty("type").GetString()!, JsonSerializer.SerializeToUtf8Bytes(root.GetProperty("data")));
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        var versions = await ReadVersionsAsync([streamId], cancellationToken).ConfigureAwait(false);
        return versions.GetValueOrDefault(streamId);
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT count(*) FROM {database.Events}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken)
    {
        var session = database.Store.QuerySession();
        await using (session.ConfigureAwait(false))
        {
            var document = await session.LoadAsync<ProjectionDocument>(ProjectionDocument.Key(type, id), cancellationToken).ConfigureAwait(false);
            return document?.Data;
        }
    }
}
