using Microsoft.Extensions.Logging;
using Npgsql;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// Moves the events of a database the hand-written hr_events store created into Marten, then drops its
/// tables: (1) one migrator at a time (advisory lock), (2) events copied in sequence order through the Marten
/// store, so versions, ids and the inline projections come out as if they had been appended there (an
/// interrupted copy resumes: appends skip stored ids), (3) hr_events, hr_streams, hr_progression and
/// hr_documents dropped. Async projections start over from the first event.
/// </summary>
internal static class LegacyEventsMigration
{
    private const int PageSize = 5000;

    public static async Task RunAsync(MartenDatabase database, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!await LegacyTableExistsAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // 1. One migrator at a time across replicas (per schema: stores in other schemas go on).
            await ExecuteAsync(connection, LockSql("pg_advisory_lock"), cancellationToken).ConfigureAwait(false);
            try
            {
                if (!await LegacyTableExistsAsync(connection, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                // 2. Copy.
                long total;
                await using (var count = new NpgsqlCommand("SELECT count(*) FROM hr_events", connection))
                {
                    total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                if (total > 0)
                {
                    ProvenanceLog.LegacyEventsMigrating(logger, total);
                    await CopyAsync(connection, new MartenEventStore(database), cancellationToken).ConfigureAwait(false);
                }

                // 3. Drop what Marten now holds.
                await ExecuteAsync(connection, "DROP TABLE IF EXISTS hr_events, hr_streams, hr_progression, hr_documents; DROP SEQUENCE IF EXISTS hr_events_sequence", cancellationToken).ConfigureAwait(false);
                ProvenanceLog.LegacyEventsMigrated(logger, total);
            }
            finally
            {
                await ExecuteAsync(connection, LockSql("pg_advisory_unlock"), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static string LockSql(string function) => $"SELECT {function}(hashtextextended('headroom-legacy-events:' || current_schema(), 0))";

    private static async Task CopyAsync(NpgsqlConnection connection, MartenEventStore target, CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            var appends = new List<StreamAppend>();
            await using (var page = new NpgsqlCommand("SELECT seq_id, id, stream_id, type, data::text FROM hr_events WHERE seq_id > $1 ORDER BY seq_id LIMIT $2", connection))
            {
                page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
                await using var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    after = reader.GetInt64(0);
                    var e = new NewEvent(reader.GetGuid(1), reader.GetString(3), System.Text.Encoding.UTF8.GetBytes(reader.GetString(4)));
                    var stream = reader.GetString(2);
                    if (appends.Count > 0 && appends[^1].StreamId == stream)
                    {
                        ((List<NewEvent>)appends[^1].Events).Add(e);
                    }
                    else
                    {
                        appends.Add(new StreamAppend(stream, ExpectedVersion.Any, new List<NewEvent> { e }));
                    }
                }
            }

            if (appends.Count == 0)
            {
                return;
            }

            await target.AppendBatchAsync(appends, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> LegacyTableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('hr_events') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
