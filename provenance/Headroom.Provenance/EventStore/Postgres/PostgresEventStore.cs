using System.Text;
using Headroom.Provenance.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Headroom.Provenance.EventStore.Postgres;

/// <summary>
/// The event store on PostgreSQL. An append, in one transaction: (1) skip events whose id is stored,
/// (2) move each stream's version, checking the expected version, (3) only then draw sequence numbers,
/// so a version conflict never burns one (gaps stall async projections until they settle), (4) insert
/// the events, (5) run inline projections. Unique violations become <see cref="ConcurrencyException"/>.
/// </summary>
internal sealed class PostgresEventStore(PostgresDatabase database, IReadOnlyList<IProjection> inlineProjections, TimeProvider timeProvider)
    : IEventStore, IProjectionStore
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
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    var results = await AppendInTransactionAsync(connection, transaction, appends, ids, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return results;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new ConcurrencyException($"A concurrent append won ({ex.ConstraintName}); nothing was stored. Re-read the stream and retry.", ex);
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
                {
                    throw new ConcurrencyException("A concurrent append locked the same streams in another order; nothing was stored. Retry.", ex);
                }
            }
        }
    }

    private async Task<AppendResult[]> AppendInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> appends, Guid[] ids, CancellationToken cancellationToken)
    {
        // 1. Idempotency: events already stored are skipped.
        var stored = await ReadStoredIdsAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
        var fresh = new List<NewEvent>[appends.Count];
        var total = 0;
        for (var i = 0; i < appends.Count; i++)
        {
            fresh[i] = stored.Count == 0 ? [.. appends[i].Events] : appends[i].Events.Where(e => !stored.Contains(e.Id)).ToList();
            total += fresh[i].Count;
        }

        // 2. Versions, checked before any sequence number is drawn.
        var firstVersions = await MoveVersionsAsync(connection, transaction, appends, fresh, cancellationToken).ConfigureAwait(false);

        // 3. Sequence numbers.
        var sequences = await DrawSequencesAsync(connection, transaction, total, cancellationToken).ConfigureAwait(false);

        // 4. Insert.
        var now = TruncateToMicroseconds(timeProvider.GetUtcNow());
        var recorded = new List<RecordedEvent>(total);
        var results = new AppendResult[appends.Count];
        var next = 0;
        for (var i = 0; i < appends.Count; i++)
        {
            var version = firstVersions[i];
            foreach (var e in fresh[i])
            {
                recorded.Add(new RecordedEvent(sequences[next++], e.Id, appends[i].StreamId, version++, e.Type, e.Data, now) { Payload = e.Payload });
            }

            results[i] = new AppendResult(appends[i].StreamId, version - 1, fresh[i].Count, fresh[i].Count == 0 ? 0 : recorded[^1].Sequence);
        }

        await InsertEventsAsync(connection, transaction, recorded, now, cancellationToken).ConfigureAwait(false);

        // 5. Inline projections see exactly what this transaction stores.
        if (recorded.Count > 0 && inlineProjections.Count > 0)
        {
            var session = new PostgresDocumentSession(connection, transaction);
            foreach (var projection in inlineProjections)
            {
                await projection.ApplyAsync(recorded, session, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    private static async Task<HashSet<Guid>> ReadStoredIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] ids, CancellationToken cancellationToken)
    {
        var stored = new HashSet<Guid>();
        if (ids.Length == 0)
        {
            return stored;
        }

        await using var command = new NpgsqlCommand("SELECT id FROM hr_events WHERE id = ANY($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetGuid(0));
        }

        return stored;
    }

    /// <summary>Returns, per append, the version its first fresh event gets (for appends with no fresh event: current version + 1).</summary>
    private static async Task<long[]> MoveVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> appends, List<NewEvent>[] fresh, CancellationToken cancellationToken)
    {
        var first = new long[appends.Count];
        var moving = new List<int>();
        for (var i = 0; i < appends.Count; i++)
        {
            if (fresh[i].Count > 0)
            {
                moving.Add(i);
            }
        }

        // Fast path (the writer's batches): every stream with a non-Any expectation appears once, and
        // Any-streams are moved by one statement, in stream id order so concurrent batches lock alike.
        var byStream = moving.GroupBy(i => appends[i].StreamId, StringComparer.Ordinal).ToList();
        var fast = byStream.All(g => g.Count() == 1 || g.All(i => appends[i].Expected.IsAny));
        if (fast)
        {
            var anyTotals = byStream.Where(g => appends[g.First()].Expected.IsAny)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Stream: g.Key, Count: g.Sum(i => (long)fresh[i].Count)))
                .ToList();
            var after = await UpsertAnyAsync(connection, transaction, anyTotals, cancellationToken).ConfigureAwait(false);
            var cursor = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (stream, count) in anyTotals)
            {
                cursor[stream] = after[stream] - count + 1;
            }

            foreach (var i in moving)
            {
                var append = appends[i];
                if (append.Expected.IsAny)
                {
                    first[i] = cursor[append.StreamId];
                    cursor[append.StreamId] += fresh[i].Count;
                }
                else
                {
                    first[i] = await MoveOneAsync(connection, transaction, append, fresh[i].Count, cancellationToken).ConfigureAwait(false) - fresh[i].Count + 1;
                }
            }
        }
        else
        {
            foreach (var i in moving)
            {
                first[i] = await MoveOneAsync(connection, transaction, appends[i], fresh[i].Count, cancellationToken).ConfigureAwait(false) - fresh[i].Count + 1;
            }
        }

        // Appends whose events were all stored already: report the current version.
        var idle = Enumerable.Range(0, appends.Count).Where(i => fresh[i].Count == 0).ToList();
        if (idle.Count > 0)
        {
            var versions = await ReadVersionsAsync(connection, transaction, idle.Select(i => appends[i].StreamId).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
            foreach (var i in idle)
            {
                first[i] = versions.GetValueOrDefault(appends[i].StreamId) + 1;
            }
        }

        return first;
    }

    private static async Task<Dictionary<string, long>> UpsertAnyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<(string Stream, long Count)> totals, CancellationToken cancellationToken)
    {
        var after = new Dictionary<string, long>(totals.Count, StringComparer.Ordinal);
        if (totals.Count == 0)
        {
            return after;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO hr_streams (id, version)
            SELECT u.id, u.n FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS u(id, n, o) ORDER BY u.o
            ON CONFLICT (id) DO UPDATE SET version = hr_streams.version + excluded.version, updated = now()
            RETURNING id, version
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = totals.Select(t => t.Stream).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = totals.Select(t => t.Count).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            after[reader.GetString(0)] = reader.GetInt64(1);
        }

        return after;
    }

    /// <summary>Moves one stream by <paramref name="count"/> events if it is at the expected version; returns its new version.</summary>
    private static async Task<long> MoveOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StreamAppend append, long count, CancellationToken cancellationToken)
    {
        var sql = append.Expected switch
        {
            { IsAny: true } => "INSERT INTO hr_streams (id, version) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET version = hr_streams.version + excluded.version, updated = now() RETURNING version",
            { Value: 0 } => "INSERT INTO hr_streams (id, version) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING version",
            _ => "UPDATE hr_streams SET version = version + $2, updated = now() WHERE id = $1 AND version = $3 RETURNING version",
        };
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.StreamId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
        if (append.Expected.Value > 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = append.Expected.Value });
        }

        var moved = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (moved is long version)
        {
            return version;
        }

        var actual = await ReadVersionsAsync(connection, transaction, [append.StreamId], cancellationToken).ConfigureAwait(false);
        throw new ConcurrencyException(append.StreamId, append.Expected, actual.GetValueOrDefault(append.StreamId));
    }

    private static async Task<Dictionary<string, long>> ReadVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] streams, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT id, version FROM hr_streams WHERE id = ANY($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    private static async Task<long[]> DrawSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int count, CancellationToken cancellationToken)
    {
        var sequences = new long[count];
        if (count == 0)
        {
            return sequences;
        }

        await using var command = new NpgsqlCommand("SELECT nextval('hr_events_sequence') FROM generate_series(1, $1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var n = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sequences[n++] = reader.GetInt64(0);
        }

        Array.Sort(sequences);
        return sequences;
    }

    private static async Task InsertEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<RecordedEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var seq = new long[events.Count];
        var ids = new Guid[events.Count];
        var streams = new string[events.Count];
        var versions = new long[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            seq[i] = e.Sequence;
            ids[i] = e.Id;
            streams[i] = e.StreamId;
            versions[i] = e.Version;
            types[i] = e.Type;
            data[i] = Encoding.UTF8.GetString(e.Data.Span);
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO hr_events (seq_id, id, stream_id, version, type, data, timestamp)
            SELECT u.seq_id, u.id, u.stream_id, u.version, u.type, u.data, $7
            FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[]) AS u(seq_id, id, stream_id, version, type, data)
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = seq });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = versions });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return await ReadEventsAsync(
            "SELECT seq_id, id, stream_id, version, type, data::text, timestamp FROM hr_events WHERE stream_id = $1 ORDER BY version",
            command => command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId }),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return await ReadEventsAsync(
            "SELECT seq_id, id, stream_id, version, type, data::text, timestamp FROM hr_events WHERE seq_id > $1 ORDER BY seq_id LIMIT $2",
            command =>
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<RecordedEvent>> ReadEventsAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new RecordedEvent(
                    reader.GetInt64(0),
                    reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetInt64(3),
                    reader.GetString(4),
                    Encoding.UTF8.GetBytes(reader.GetString(5)),
                    reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return events;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var versions = await ReadVersionsAsync(connection, null, [streamId], cancellationToken).ConfigureAwait(false);
            return versions.GetValueOrDefault(streamId);
        }
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM hr_events", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    public async Task<long> ReadProgressAsync(string name, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT last_seq_id FROM hr_progression WHERE name = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : 0;
        }
    }

    public async Task<bool> TryApplyAsync(IProjection projection, long expectedProgress, long newProgress, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Compare-and-set first: it takes the row lock, so a second runner waits here and then fails.
                var sql = expectedProgress == 0
                    ? "INSERT INTO hr_progression AS p (name, last_seq_id) VALUES ($1, $3) ON CONFLICT (name) DO UPDATE SET last_seq_id = $3, updated = now() WHERE p.last_seq_id = $2"
                    : "UPDATE hr_progression SET last_seq_id = $3, updated = now() WHERE name = $1 AND last_seq_id = $2";
                await using (var command = new NpgsqlCommand(sql, connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedProgress });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = newProgress });
                    if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                    {
                        return false;
                    }
                }

                await projection.ApplyAsync(events, new PostgresDocumentSession(connection, transaction), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    public async Task<IReadOnlyList<long>> ReadSequencesAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var sequences = new List<long>();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT seq_id FROM hr_events WHERE seq_id > $1 ORDER BY seq_id LIMIT $2", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add(reader.GetInt64(0));
            }
        }

        return sequences;
    }

    public async Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT data::text FROM hr_documents WHERE type = $1 AND id = $2", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? Encoding.UTF8.GetBytes(json) : null;
        }
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
