using System.Text;
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
internal sealed class SqliteEventStore(SqliteDatabase database, IReadOnlyList<IProjection> inlineProjections, TimeProvider timeProvider, RecentAppends? recent = null)
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
                var (results, recorded) = await AppendInTransactionAsync(session, appends, ids, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                recent?.Add(recorded);
                return results;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw new ConcurrencyException($"A concurrent append won ({ex.Message}); nothing was stored. Re-read the stream and retry.", ex);
            }
        }
    }

    private async Task<(AppendResult[] Results, List<RecordedEvent> Recorded)> AppendInTransactionAsync(SqliteSession session, IReadOnlyList<StreamAppend> appends, Guid[] ids, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var nowTicks = now.UtcTicks;

        // 1. Idempotency: events already stored are skipped.
        var stored = ReadStoredIds(session, ids);

        // 2. Versions, checked before any sequence number is drawn. A stream's version is its last event's,
        //    read from the (stream_id, version) index; a stream named twice in one batch continues from the
        //    version its earlier append took.
        var firstVersions = new long[appends.Count];
        var fresh = new IReadOnlyList<NewEvent>[appends.Count];
        Dictionary<string, long>? taken = null;
        var read = session.Statement("SELECT coalesce(max(version), 0) FROM hr_events WHERE stream_id = ?1");
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            fresh[i] = stored is null ? append.Events : append.Events.Where(e => !stored.Contains(e.Id)).ToList();
            var count = fresh[i].Count;
            if (taken is null || !taken.TryGetValue(append.StreamId, out var actual))
            {
                try
                {
                    read.Bind(1, append.StreamId);
                    read.Step();
                    actual = read.Int64(0);
                }
                finally
                {
                    read.Reset();
                }
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
        long sequence;
        var max = session.Statement("SELECT coalesce(max(seq_id), 0) FROM hr_events");
        try
        {
            max.Step();
            sequence = max.Int64(0);
        }
        finally
        {
            max.Reset();
        }

        // 4. Insert, one prepared single-row statement per event.
        var recorded = new List<RecordedEvent>(ids.Length);
        var results = new AppendResult[appends.Count];
        var insert = session.Statement("INSERT INTO hr_events (seq_id, id, stream_id, version, type, data, timestamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        Span<byte> id = stackalloc byte[16];
        for (var i = 0; i < appends.Count; i++)
        {
            var version = firstVersions[i];
            var last = 0L;
            foreach (var e in fresh[i])
            {
                e.Id.TryWriteBytes(id); // the layout of Guid.ToByteArray, as stored since the first schema
                try
                {
                    insert.Bind(1, ++sequence);
                    insert.Bind(2, id);
                    insert.Bind(3, appends[i].StreamId);
                    insert.Bind(4, version);
                    insert.Bind(5, e.Type);
                    insert.Bind(6, e.Data.Span);
                    insert.Bind(7, nowTicks);
                    insert.Step();
                }
                finally
                {
                    insert.Reset();
                }

                recorded.Add(new RecordedEvent(sequence, e.Id, appends[i].StreamId, version++, e.Type, e.Data, now) { Payload = e.Payload });
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

        return (results, recorded);
    }

    /// <summary>Which of <paramref name="ids"/> are stored (null: none), one primary-key probe each.</summary>
    private static HashSet<Guid>? ReadStoredIds(SqliteSession session, Guid[] ids)
    {
        HashSet<Guid>? stored = null;
        var probe = session.Statement("SELECT 1 FROM hr_events WHERE id = ?1");
        Span<byte> bytes = stackalloc byte[16];
        foreach (var id in ids)
        {
            id.TryWriteBytes(bytes);
            try
            {
                probe.Bind(1, bytes);
                if (probe.Step())
                {
                    (stored ??= []).Add(id);
                }
            }
            finally
            {
                probe.Reset();
            }
        }

        return stored;
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        using var lease = database.ReadSession();
        return Task.FromResult(ReadStream(lease.Session, streamId));
    }

    /// <summary>
    /// The events of one stream in version order, on <paramref name="session"/> (a reader's, or the writer's inside
    /// its open transaction, which then sees what it has appended): one prepared statement, kept on the session.
    /// </summary>
    internal static IReadOnlyList<RecordedEvent> ReadStream(SqliteSession session, string streamId)
    {
        var events = new List<RecordedEvent>();
        var read = session.Statement("SELECT seq_id, id, version, type, data, timestamp FROM hr_events WHERE stream_id = ?1 ORDER BY version");
        try
        {
            read.Bind(1, streamId);
            while (read.Step())
            {
                events.Add(new RecordedEvent(
                    read.Int64(0),
                    new Guid(read.Blob(1)),
                    streamId,
                    read.Int64(2),
                    Encoding.UTF8.GetString(read.Blob(3)),
                    read.Blob(4).ToArray(),
                    new DateTimeOffset(read.Int64(5), TimeSpan.Zero)));
            }
        }
        finally
        {
            read.Reset();
        }

        return events;
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
