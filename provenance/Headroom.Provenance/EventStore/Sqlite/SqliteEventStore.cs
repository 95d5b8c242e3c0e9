using System.Runtime.InteropServices;
using Headroom.Provenance.Projections;
using Microsoft.Data.Sqlite;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// The event store in an embedded SQLite file. Same steps as PostgreSQL, in one IMMEDIATE transaction
/// under the process-wide write lock: (1) skip stored ids, (2) check versions, (3) number the events after
/// the current maximum (a rolled-back transaction leaves no gap here), (4) insert, (5) run inline
/// projections. A stream's version is the version of its last event (the unique (stream_id, version) index
/// answers it), so an append writes no stream row: hr_streams is left as files written before have it.
/// Constraint violations become <see cref="ConcurrencyException"/>.
/// </summary>
internal sealed class SqliteEventStore(SqliteDatabase database, IReadOnlyList<IProjection> inlineProjections, TimeProvider timeProvider)
    : IEventStore, IProjectionStore
{
    private const int SqliteConstraint = 19;

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        var results = await AppendBatchAsync([new StreamAppend(streamId, expected, events)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        AppendValidation.Validate(appends);
        var ids = AppendValidation.CollectIds(appends);
        using var writer = await database.WriteSessionAsync(cancellationToken).ConfigureAwait(false);
        var session = writer.Session;
        var transaction = session.Begin();
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                var results = await AppendInTransactionAsync(session, appends, ids, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return results;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw new ConcurrencyException($"A concurrent append won ({ex.Message}); nothing was stored. Re-read the stream and retry.", ex);
            }
        }
    }

    private async Task<AppendResult[]> AppendInTransactionAsync(SqliteSession session, IReadOnlyList<StreamAppend> appends, Guid[] ids, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var nowTicks = now.UtcTicks;

        // 1. Idempotency: events already stored are skipped.
        var stored = await ReadStoredIdsAsync(session, ids, cancellationToken).ConfigureAwait(false);

        // 2. Versions, checked before any sequence number is drawn. A stream's version is its last event's,
        //    read from the (stream_id, version) index; a stream named twice in one batch continues from the
        //    version its earlier append took.
        var firstVersions = new long[appends.Count];
        var fresh = new IReadOnlyList<NewEvent>[appends.Count];
        Dictionary<string, long>? taken = null;
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            fresh[i] = stored is null ? append.Events : append.Events.Where(e => !stored.Contains(e.Id)).ToList();
            var count = fresh[i].Count;
            long actual;
            if (taken is not null && taken.TryGetValue(append.StreamId, out var pending))
            {
                actual = pending;
            }
            else
            {
                var read = session.Command("SELECT coalesce(max(version), 0) FROM hr_events WHERE stream_id = $id", "$id");
                read.Parameters[0].Value = append.StreamId;
                actual = (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (count > 0 && !append.Expected.IsSatisfiedBy(actual))
            {
                throw new ConcurrencyException(append.StreamId, append.Expected, actual);
            }

            firstVersions[i] = actual + 1;
            if (appends.Count > 1)
            {
                (taken ??= new Dictionary<string, long>(StringComparer.Ordinal))[append.StreamId] = actual + count;
            }
        }

        // 3. Sequence numbers: the writer holds the database lock, so max + 1 is free and gap-free.
        var sequence = (long)(await session.Command("SELECT coalesce(max(seq_id), 0) FROM hr_events").ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        // 4. Insert, one prepared single-row statement per event (binding is by index; nothing is parsed again).
        var recorded = new List<RecordedEvent>(ids.Length);
        var results = new AppendResult[appends.Count];
        var insert = session.Command(
            "INSERT INTO hr_events (seq_id, id, stream_id, version, type, data, timestamp) VALUES ($s, $i, $st, $v, $t, $d, $ts)",
            "$s",
            "$i",
            "$st",
            "$v",
            "$t",
            "$d",
            "$ts");
        var p = insert.Parameters;
        p[6].Value = nowTicks;
        for (var i = 0; i < appends.Count; i++)
        {
            var version = firstVersions[i];
            var last = 0L;
            foreach (var e in fresh[i])
            {
                var data = WholeArray(e.Data);
                p[0].Value = ++sequence;
                p[1].Value = e.Id.ToByteArray();
                p[2].Value = appends[i].StreamId;
                p[3].Value = version;
                p[4].Value = e.Type;
                p[5].Value = data;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                recorded.Add(new RecordedEvent(sequence, e.Id, appends[i].StreamId, version++, e.Type, data, now) { Payload = e.Payload });
                last = sequence;
            }

            results[i] = new AppendResult(appends[i].StreamId, version - 1, fresh[i].Count, last);
        }

        // 5. Inline projections see exactly what this transaction stores.
        if (recorded.Count > 0 && inlineProjections.Count > 0)
        {
            var documents = new SqliteDocumentSession(session, nowTicks);
            foreach (var projection in inlineProjections)
            {
                await projection.ApplyAsync(recorded, documents, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    /// <summary>The bytes as an array without a copy when they are one already (serialized events are).</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : data.ToArray();

    /// <summary>Which of <paramref name="ids"/> are stored (null: none), one primary-key probe each.</summary>
    private static async Task<HashSet<Guid>?> ReadStoredIdsAsync(SqliteSession session, Guid[] ids, CancellationToken cancellationToken)
    {
        HashSet<Guid>? stored = null;
        var probe = session.Command("SELECT 1 FROM hr_events WHERE id = $id", "$id");
        foreach (var id in ids)
        {
            probe.Parameters[0].Value = id.ToByteArray();
            if (await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                (stored ??= []).Add(id);
            }
        }

        return stored;
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return ReadEventsAsync("SELECT seq_id, id, stream_id, version, type, data, timestamp FROM hr_events WHERE stream_id = $a ORDER BY version", streamId, null, cancellationToken);
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return ReadEventsAsync("SELECT seq_id, id, stream_id, version, type, data, timestamp FROM hr_events WHERE seq_id > $a ORDER BY seq_id LIMIT $b", afterSequence, maxCount, cancellationToken);
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(string sql, object a, object? b, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        using var lease = database.ReadSession();
        var command = b is null ? lease.Session.Command(sql, "$a") : lease.Session.Command(sql, "$a", "$b");
        command.Parameters[0].Value = a;
        if (b is not null)
        {
            command.Parameters[1].Value = b;
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new RecordedEvent(
                reader.GetInt64(0),
                new Guid(reader.GetFieldValue<byte[]>(1)),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetFieldValue<byte[]>(5),
                new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero)));
        }

        return events;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return (long)(await ScalarAsync("SELECT coalesce(max(version), 0) FROM hr_events WHERE stream_id = $a", streamId, null, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default) =>
        (long)(await ScalarAsync("SELECT count(*) FROM hr_events", null, null, cancellationToken).ConfigureAwait(false))!;

    public async Task<long> ReadProgressAsync(string name, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT last_seq_id FROM hr_progression WHERE name = $a", name, null, cancellationToken).ConfigureAwait(false) is long v ? v : 0;

    public async Task<bool> TryApplyAsync(IProjection projection, long expectedProgress, long newProgress, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var nowTicks = timeProvider.GetUtcNow().UtcTicks;
        using var writer = await database.WriteSessionAsync(cancellationToken).ConfigureAwait(false);
        var session = writer.Session;
        var transaction = session.Begin();
        await using (transaction.ConfigureAwait(false))
        {
            var move = session.Command(
                expectedProgress == 0
                    ? "INSERT INTO hr_progression (name, last_seq_id, updated) VALUES ($name, $new, $now) ON CONFLICT (name) DO UPDATE SET last_seq_id = excluded.last_seq_id, updated = excluded.updated WHERE hr_progression.last_seq_id = $expected"
                    : "UPDATE hr_progression SET last_seq_id = $new, updated = $now WHERE name = $name AND last_seq_id = $expected",
                "$name",
                "$new",
                "$now",
                "$expected");
            move.Parameters[0].Value = projection.Name;
            move.Parameters[1].Value = newProgress;
            move.Parameters[2].Value = nowTicks;
            move.Parameters[3].Value = expectedProgress;
            if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await projection.ApplyAsync(events, new SqliteDocumentSession(session, nowTicks), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public async Task<IReadOnlyList<long>> ReadSequencesAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var sequences = new List<long>();
        using var lease = database.ReadSession();
        var command = lease.Session.Command("SELECT seq_id FROM hr_events WHERE seq_id > $a ORDER BY seq_id LIMIT $b", "$a", "$b");
        command.Parameters[0].Value = afterSequence;
        command.Parameters[1].Value = limit;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    public async Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT data FROM hr_documents WHERE type = $a AND id = $b", type, id, cancellationToken).ConfigureAwait(false) as byte[];

    private async Task<object?> ScalarAsync(string sql, object? a, object? b, CancellationToken cancellationToken)
    {
        using var lease = database.ReadSession();
        var command = lease.Session.Command(sql, "$a", "$b");
        command.Parameters[0].Value = a ?? DBNull.Value;
        command.Parameters[1].Value = b ?? DBNull.Value;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
