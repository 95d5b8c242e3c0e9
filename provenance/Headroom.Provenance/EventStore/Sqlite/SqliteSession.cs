using Microsoft.Data.Sqlite;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// One open connection and the statements it has prepared, kept for its next use. Microsoft.Data.Sqlite
/// prepares a command's SQL on its first run and finalizes it when the connection closes, so a connection
/// opened per call parses and plans every statement again (a third of the store's CPU per request, and a
/// 64-row insert also bound each of its 385 parameters by a linear search of their names). Used by one
/// caller at a time (<see cref="SqliteDatabase.WriteSessionAsync"/>, <see cref="SqliteDatabase.ReadSession"/>).
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>True while the connection is inside a transaction (one left open by a failure makes the session unusable).</summary>
    public bool InTransaction => Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

    /// <summary>
    /// The prepared command for <paramref name="sql"/>, its parameters named by <paramref name="parameters"/>
    /// in that order (set them by index), enlisted in the session's transaction when one is open.
    /// </summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<string> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            _commands.Add(sql, command);
        }

        command.Transaction = _transaction is { Connection: not null } open ? open : null;
        return command;
    }

    /// <summary>The prepared <see cref="SqliteStatement"/> for <paramref name="sql"/> (parameters ?1, ?2, ...), for the per-request statements.</summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection.Handle!, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is taken now, not at the first write.</summary>
    public SqliteTransaction Begin()
    {
        _transaction = Connection.BeginTransaction();
        return _transaction;
    }

    public void Dispose()
    {
        // Statements first: a pooled connection goes back to the pool with its native handle, which must not keep them.
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
