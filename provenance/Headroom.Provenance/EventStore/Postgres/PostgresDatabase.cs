using Microsoft.Extensions.Logging;
using Npgsql;

namespace Headroom.Provenance.EventStore.Postgres;

/// <summary>The shared data source of the PostgreSQL backend; creates and migrates the hr_ schema on open.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgresDatabase> OpenAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // The writer sends the same few statements per batch (Marten's quick append and document upsert):
        // prepared once per connection, PostgreSQL skips parsing and planning them again.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        var dataSource = NpgsqlDataSource.Create(builder);
        var database = new PostgresDatabase(dataSource);
        try
        {
            await database.MigrateAsync(builder.SearchPath, logger, cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private async Task MigrateAsync(string? searchPath, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // 1. One migrator at a time across replicas.
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLockKey})", cancellationToken).ConfigureAwait(false);

                // 2. The schema named first in Search Path must exist before unqualified names resolve to it.
                var schema = searchPath?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
                if (!string.IsNullOrEmpty(schema) && schema != "$user")
                {
                    await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", cancellationToken).ConfigureAwait(false);
                }

                // 3. Apply what this database has not seen yet.
                await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS hr_schema_version (version int NOT NULL)", cancellationToken).ConfigureAwait(false);
                int current;
                await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM hr_schema_version", connection, transaction))
                {
                    current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }

                for (var i = current; i < PostgresSchema.Migrations.Length; i++)
                {
                    await ExecuteAsync(connection, transaction, PostgresSchema.Migrations[i], cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, $"INSERT INTO hr_schema_version (version) VALUES ({i + 1})", cancellationToken).ConfigureAwait(false);
                    ProvenanceLog.SchemaMigrated(logger, "postgres", i + 1);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
