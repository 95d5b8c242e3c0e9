using System.Runtime.InteropServices;
using Headroom.Provenance.Projections;
using Microsoft.Data.Sqlite;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// The event store in an embedded SQLite file. Same steps as PostgreSQL, in one IMMEDIATE transaction
/// under the process-wide write lock: (1) skip stored ids, (2) check and move versions, (3) number the
/// events after the current maximum (a rolled-back transaction leaves no gap here), (4) insert, (5) run
/// inline projections. Constraint violations become <see cref="ConcurrencyException"/>.
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
        await database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    try
                    {
                        var results = await AppendInTransactionAsync(connection, transaction, appends, ids, cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return results;
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
                    {
                        throw new ConcurrencyException($"A concurrent append won ({ex.Message}); nothing was stored. Re-read the stream and retry.", ex);
                    }
                }
            }
        }
        finally
        {
            database.WriteLock.Release();
        }
    }

    private async Task<AppendResult[]> AppendInTransactionAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<StreamAppend> appends, Guid[] ids, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var nowTicks = now.UtcTicks;

        // 1. Idempotency: events already stored are skipped.
        var stored = await ReadStoredIdsAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);

        // 2. Versions, checked before any sequence number is drawn.
        var firstVersions = new long[appends.Count];
        var fresh = new List<NewEvent>[appends.Count];
        await using (var read = SqliteCommands.Create(connection, transaction, "SELECT version FROM hr_streams WHERE id = $id", ("$id", string.Empty)))
        await using (var move = SqliteCommands.Create(
            connection,
            transaction,
            "INSERT INTO hr_streams (id, version, created, updated) VALUES ($id, $version, $now, $now) ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated = excluded.updated",
            ("$id", string.Empty),
            ("$version", 0L),
            ("$now", nowTicks)))
        await using (var moveAny = SqliteCommands.Create(
            connection,
            transaction,
            "INSERT INTO hr_streams (id, version, created, updated) VALUES ($id, $count, $now, $now) ON CONFLICT (id) DO UPDATE SET version = version + excluded.version, updated = excluded.updated RETURNING version",
            ("$id", string.Empty),
            ("$count", 0L),
            ("$now", nowTicks)))
        {
            for (var i = 0; i < appends.Count; i++)
            {
                var append = appends[i];
                fresh[i] = stored.Count == 0 ? [.. append.Events] : append.Events.Where(e => !stored.Contains(e.Id)).ToList();
                if (fresh[i].Count > 0 && append.Expected.IsAny)
                {
                    // Any: one statement moves the stream and tells where it got to.
                    moveAny.Set("$id", append.StreamId);
                    moveAny.Set("$count", (long)fresh[i].Count);
                    firstVersions[i] = (long)(await moveAny.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! - fresh[i].Count + 1;
                    continue;
                }

                read.Set("$id", append.StreamId);
                var actual = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? v : 0;
                if (fresh[i].Count == 0)
                {
                    firstVersions[i] = actual + 1;
                    continue;
                }

                if (!append.Expected.IsSatisfiedBy(actual))
                {
                    throw new ConcurrencyException(append.StreamId, append.Expected, actual);
                }

                move.Set("$id", append.StreamId);
                move.Set("$version", actual + fresh[i].Count);
                await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                firstVersions[i] = actual + 1;
            }
        }

        // 3. Sequence numbers: the writer holds the database lock, so max + 1 is free and gap-free.
        long sequence;
        await using (var max = SqliteCommands.Create(connection, transaction, "SELECT coalesce(max(seq_id), 0) FROM hr_events"))
        {
            sequence = (long)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        // 4. Insert, many rows per statement (per-statement overhead dominates single-row inserts).
        var recorded = new List<RecordedEvent>();
        var results = new AppendResult[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            var version = firstVersions[i];
            var last = 0L;
            foreach (var e in fresh[i])
            {
                recorded.Add(new RecordedEvent(++sequence, e.Id, appends[i].StreamId, version++, e.Type, e.Data, now) { Payload = e.Payload });
                last = sequence;
            }

            results[i] = new AppendResult(appends[i].StreamId, version - 1, fresh[i].Count, last);
        }

        await InsertEventsAsync(connection, transaction, recorded, nowTicks, cancellationToken).ConfigureAwait(false);

        // 5. Inline projections see exactly what this transaction stores.
        if (recorded.Count > 0 && inlineProjections.Count > 0)
        {
            var session = new SqliteDocumentSession(connection, transaction, nowTicks);
            foreach (var projection in inlineProjections)
            {
                await projection.ApplyAsync(recorded, session, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    private static async Task InsertEventsAsync(SqliteConnection connection, SqliteTransaction transaction, List<RecordedEvent> events, long nowTicks, CancellationToken cancellationToken)
    {
        const int RowsPerStatement = 64;
        const int Columns = 6;
        SqliteCommand? full = null;
        try
        {
            for (var start = 0; start < events.Count; start += RowsPerStatement)
            {
                var rows = Math.Min(RowsPerStatement, events.Count - start);
                SqliteCommand command;
                if (rows == RowsPerStatement)
                {
                    command = full ??= CreateInsert(connection, transaction, rows, nowTicks);
                }
                else
                {
                    command = CreateInsert(connection, transaction, rows, nowTicks);
                }

                for (var r = 0; r < rows; r++)
                {
                    var e = events[start + r];
                    var p = command.Parameters;
                    var k = 1 + (r * Columns);
                    p[k].Value = e.Sequence;
                    p[k + 1].Value = e.Id.ToByteArray();
                    p[k + 2].Value = e.StreamId;
                    p[k + 3].Value = e.Version;
                    p[k + 4].Value = e.Type;
                    p[k + 5].Value = WholeArray(e.Data);
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (command != full)
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The bytes as an array without a copy when they are one already (serialized events are).</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : data.ToArray();

    private static SqliteCommand CreateInsert(SqliteConnection connection, SqliteTransaction transaction, int rows, long nowTicks)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$ts", nowTicks);
        var sql = new System.Text.StringBuilder("INSERT INTO hr_events (seq_id, id, stream_id, version, type, data, timestamp) VALUES ", 90 + (rows * 40));
        for (var r = 0; r < rows; r++)
        {
            var n = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(r == 0 ? "(" : ",(")
                .Append("$s").Append(n).Append(",$i").Append(n).Append(",$st").Append(n)
                .Append(",$v").Append(n).Append(",$t").Append(n).Append(",$d").Append(n).Append(",$ts)");
            foreach (var prefix in (ReadOnlySpan<string>)["$s", "$i", "$st", "$v", "$t", "$d"])
            {
                command.Parameters.Add(new SqliteParameter(prefix + n, null));
            }
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>Which of <paramref name="ids"/> are stored, one statement per 500 ids.</summary>
    private static async Task<HashSet<Guid>> ReadStoredIdsAsync(SqliteConnection connection, SqliteTransaction transaction, Guid[] ids, CancellationToken cancellationToken)
    {
        const int Chunk = 500;
        var stored = new HashSet<Guid>();
        for (var start = 0; start < ids.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, ids.Length - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new System.Text.StringBuilder("SELECT id FROM hr_events WHERE id IN (", 40 + (count * 7));
            for (var i = 0; i < count; i++)
            {
                var name = "$i" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? string.Empty : ",").Append(name);
                command.Parameters.AddWithValue(name, ids[start + i].ToByteArray());
            }

            command.CommandText = sql.Append(')').ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(new Guid(reader.GetFieldValue<byte[]>(0)));
            }
        }

        return stored;
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return await ReadEventsAsync(
            "SELECT seq_id, id, stream_id, version, type, data, timestamp FROM hr_events WHERE stream_id = $a ORDER BY version",
            streamId,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return await ReadEventsAsync(
            "SELECT seq_id, id, stream_id, version, type, data, timestamp FROM hr_events WHERE seq_id > $a ORDER BY seq_id LIMIT $b",
            afterSequence,
            maxCount,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<RecordedEvent>> ReadEventsAsync(string sql, object a, object? b, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = SqliteCommands.Create(connection, null, sql, ("$a", a), ("$b", b));
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
        }

        return events;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        return await ScalarAsync("SELECT version FROM hr_streams WHERE id = $a", streamId, null, cancellationToken).ConfigureAwait(false) is long v ? v : 0;
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default) =>
        (long)(await ScalarAsync("SELECT count(*) FROM hr_events", null, null, cancellationToken).ConfigureAwait(false))!;

    public async Task<long> ReadProgressAsync(string name, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT last_seq_id FROM hr_progression WHERE name = $a", name, null, cancellationToken).ConfigureAwait(false) is long v ? v : 0;

    public async Task<bool> TryApplyAsync(IProjection projection, long expectedProgress, long newProgress, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var nowTicks = timeProvider.GetUtcNow().UtcTicks;
        await database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var sql = expectedProgress == 0
                        ? "INSERT INTO hr_progression (name, last_seq_id, updated) VALUES ($name, $new, $now) ON CONFLICT (name) DO UPDATE SET last_seq_id = excluded.last_seq_id, updated = excluded.updated WHERE hr_progression.last_seq_id = $expected"
                        : "UPDATE hr_progression SET last_seq_id = $new, updated = $now WHERE name = $name AND last_seq_id = $expected";
                    await using (var command = SqliteCommands.Create(connection, transaction, sql, ("$name", projection.Name), ("$new", newProgress), ("$now", nowTicks), ("$expected", expectedProgress)))
                    {
                        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                        {
                            return false;
                        }
                    }

                    await projection.ApplyAsync(events, new SqliteDocumentSession(connection, transaction, nowTicks), cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
            }
        }
        finally
        {
            database.WriteLock.Release();
        }
    }

    public async Task<IReadOnlyList<long>> ReadSequencesAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var sequences = new List<long>();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = SqliteCommands.Create(connection, null, "SELECT seq_id FROM hr_events WHERE seq_id > $a ORDER BY seq_id LIMIT $b", ("$a", afterSequence), ("$b", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add(reader.GetInt64(0));
            }
        }

        return sequences;
    }

    public async Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT data FROM hr_documents WHERE type = $a AND id = $b", type, id, cancellationToken).ConfigureAwait(false) as byte[];

    private async Task<object?> ScalarAsync(string sql, object? a, object? b, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = SqliteCommands.Create(connection, null, sql, ("$a", a), ("$b", b));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
