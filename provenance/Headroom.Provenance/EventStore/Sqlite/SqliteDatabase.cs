using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// The embedded database file: WAL journal (readers never wait for the writer), one writer at a time in
/// this process (<see cref="WriteLock"/>), busy timeout for writers in other processes.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;

    private SqliteDatabase(string connectionString) => _connectionString = connectionString;

    /// <summary>
    /// Page cache per connection, in KiB (SQLite's default is 2,000 KiB). The pool holds about seven
    /// connections; the gateway reads a few rows per request and writes in batches, so a small cache costs no
    /// measurable time and keeps ~12 MB of native memory out of the resident set (README "Gateway overhead").
    /// </summary>
    internal const int PageCacheKiB = 256;

    private const string ReaderPragmas = "PRAGMA cache_size = -256;";
    private const string WriterPragmas = "PRAGMA synchronous = NORMAL; " + ReaderPragmas;

    // Native handles already configured: a pooled connection keeps its handle, and with it its pragmas, so the
    // pragmas run once per handle instead of on every open.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();
    private static readonly object Reader = new();
    private static readonly object Writer = new();

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
    /// A pooled connection with a <see cref="PageCacheKiB"/> page cache. Writers also get synchronous=NORMAL
    /// (safe in WAL mode: a power loss may drop the last commits, never corrupt). SQLITE_BUSY is retried by Microsoft.Data.Sqlite
    /// until the command timeout.
    /// </summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken, bool forWrite = false)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var handle = connection.Handle!;
            var wanted = forWrite ? Writer : Reader;
            if (!_configured.TryGetValue(handle, out var done) || (wanted == Writer && done != Writer))
            {
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = forWrite ? WriterPragmas : ReaderPragmas;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _configured.AddOrUpdate(handle, wanted);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        WriteLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task MigrateAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
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
}
