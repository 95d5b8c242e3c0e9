using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// The embedded database file: WAL journal (readers never wait for the writer), one writer at a time in
/// this process (<see cref="WriteLock"/>), busy timeout for writers in other processes. Statements run on
/// long-lived sessions that keep them prepared (<see cref="SqliteSession"/>): one writer session, lent under
/// the write lock, and a few reader sessions lent per read.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentQueue<SqliteSession> _idle = new();
    private readonly int _maxIdleReaders = Math.Max(4, 2 * Environment.ProcessorCount);
    private int _idleCount;
    private SqliteSession? _writer;
    private volatile bool _disposed;

    private SqliteDatabase(string connectionString) => _connectionString = connectionString;

    /// <summary>
    /// Page cache per connection, in KiB (SQLite's default is 2,000 KiB). The gateway holds a writer and a few
    /// reader sessions; it reads a few rows per request and writes in batches, so a small cache costs no
    /// measurable time and keeps ~12 MB of native memory out of the resident set (README "Gateway overhead").
    /// </summary>
    internal const int PageCacheKiB = 256;

    private const string ReaderPragmas = "PRAGMA cache_size = -256;";
    private const string WriterPragmas = "PRAGMA synchronous = NORMAL; " + ReaderPragmas;

    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public static async Task<SqliteDatabase> OpenAsync(string path, ILogger logger, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        var database = new SqliteDatabase(builder.ConnectionString);
        await database.MigrateAsync(logger, cancellationToken).ConfigureAwait(false);
        return database;
    }

    /// <summary>
    /// Takes the write lock and lends the writer session (synchronous=NORMAL: safe in WAL mode, a power loss may
    /// drop the last commits, never corrupt) until the lease is disposed. A session left inside a transaction
    /// (a failure its rollback could not undo) is closed there, and the next lease opens a new one. SQLITE_BUSY
    /// from writers in other processes is retried by Microsoft.Data.Sqlite until the command timeout.
    /// </summary>
    public async Task<WriterLease> WriteSessionAsync(CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= new SqliteSession(Open(forWrite: true));
            return new WriterLease(this, _writer);
        }
        catch
        {
            WriteLock.Release();
            throw;
        }
    }

    /// <summary>Lends an idle reader session, or a new one, until the lease is disposed.</summary>
    public ReaderLease ReadSession()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return new ReaderLease(this, session);
        }

        return new ReaderLease(this, new SqliteSession(Open(forWrite: false)));
    }

    /// <summary>A connection with a <see cref="PageCacheKiB"/> page cache (and, for the writer, synchronous=NORMAL).</summary>
    private SqliteConnection Open(bool forWrite)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = forWrite ? WriterPragmas : ReaderPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EndWrite(SqliteSession session)
    {
        if (session.InTransaction || _disposed)
        {
            _writer = null;
            session.Dispose();
        }

        WriteLock.Release();
    }

    private void EndRead(SqliteSession session)
    {
        // Idle readers hold no transaction: a snapshot kept open here would stop checkpoints.
        if (_disposed || session.InTransaction)
        {
            session.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _maxIdleReaders)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
            return;
        }

        _idle.Enqueue(session);
        if (_disposed)
        {
            DisposeIdle();
        }
    }

    private void DisposeIdle()
    {
        while (_idle.TryDequeue(out var idle))
        {
            idle.Dispose();
        }
    }

    /// <summary>The writer session while the write lock is held.</summary>
    internal readonly struct WriterLease(SqliteDatabase database, SqliteSession session) : IDisposable
    {
        public SqliteSession Session => session;

        public void Dispose() => database.EndWrite(session);
    }

    /// <summary>A reader session, given back on dispose.</summary>
    internal readonly struct ReaderLease(SqliteDatabase database, SqliteSession session) : IDisposable
    {
        public SqliteSession Session => session;

        public void Dispose() => database.EndRead(session);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await WriteLock.WaitAsync().ConfigureAwait(false);
        _writer?.Dispose();
        _writer = null;
        DisposeIdle();
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        WriteLock.Dispose();
    }

    private async Task MigrateAsync(ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = Open(forWrite: true);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // BEGIN IMMEDIATE: two processes opening the same file migrate one after the other.
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS hr_schema_version (version INTEGER NOT NULL); SELECT coalesce(max(version), 0) FROM hr_schema_version;";
            var current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = current; i < SqliteSchema.Migrations.Length; i++)
            {
                command.CommandText = SqliteSchema.Migrations[i] + $"; INSERT INTO hr_schema_version (version) VALUES ({i + 1});";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                ProvenanceLog.SchemaMigrated(logger, "sqlite", i + 1);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
