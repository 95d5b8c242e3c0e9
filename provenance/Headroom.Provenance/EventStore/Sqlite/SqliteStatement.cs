using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// One prepared statement driven through SQLite's own API, for the statements every request runs (the
/// append's inserts and probes, the compression-cache lookup). Parameters are bound by position (?1, ?2, ...),
/// values go in without boxing, and nothing is allocated per run: a <see cref="SqliteCommand"/> allocates a
/// binder per parameter, a data reader and a record per run. Use: bind, <see cref="Step"/>, read columns,
/// then <see cref="Reset"/> (in a finally: a statement left running keeps its transaction or snapshot open).
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    /// <summary>How long a step waits out SQLITE_BUSY from another connection (Microsoft.Data.Sqlite's default command timeout).</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>A blob (SQLitePCL binds an empty span as an empty blob, not NULL).</summary>
    public void Bind(int index, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(_statement, index, blob));

    /// <summary>Text as UTF-8; null binds SQL NULL, the empty string the empty string (the live zone keys with options "": contract test).</summary>
    public void Bind(int index, string? text)
    {
        if (text is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Check(raw.sqlite3_bind_text(_statement, index, buffer[..Encoding.UTF8.GetBytes(text, buffer)]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Runs to the next row: true on a row, false when done; errors throw <see cref="SqliteException"/>.</summary>
    public bool Step()
    {
        long? started = null;
        while (true)
        {
            var rc = raw.sqlite3_step(_statement);
            switch (rc)
            {
                case raw.SQLITE_ROW:
                    return true;
                case raw.SQLITE_DONE:
                    return false;
                case raw.SQLITE_BUSY or raw.SQLITE_LOCKED:
                    // Another process holds the file (or a WAL recovery runs): wait, as Microsoft.Data.Sqlite does.
                    started ??= Stopwatch.GetTimestamp();
                    if (Stopwatch.GetElapsedTime(started.Value) > BusyTimeout)
                    {
                        SqliteException.ThrowExceptionForRC(rc, _db);
                    }

                    raw.sqlite3_reset(_statement);
                    Thread.Sleep(10);
                    break;
                default:
                    SqliteException.ThrowExceptionForRC(rc, _db); // the caller's Reset ends the run
                    return false;
            }
        }
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The column's bytes, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Ends the run (the statement's bindings stay; every caller binds all of them).</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
