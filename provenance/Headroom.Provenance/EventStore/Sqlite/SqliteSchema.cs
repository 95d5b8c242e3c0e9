namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>
/// Ordered migrations for the embedded store; the same tables as PostgreSQL, in SQLite types. Tables with
/// large rows (documents, originals, cached outputs) keep a rowid: WITHOUT ROWID B-trees degrade on rows
/// bigger than ~1/20 of a page (https://sqlite.org/withoutrowid.html, section 4).
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS hr_streams (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            created INTEGER NOT NULL,
            updated INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS hr_events (
            seq_id INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            stream_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            type TEXT NOT NULL,
            data BLOB NOT NULL,
            timestamp INTEGER NOT NULL,
            UNIQUE (stream_id, version));
        CREATE TABLE IF NOT EXISTS hr_progression (
            name TEXT PRIMARY KEY,
            last_seq_id INTEGER NOT NULL,
            updated INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS hr_documents (
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            data BLOB NOT NULL,
            updated INTEGER NOT NULL,
            PRIMARY KEY (type, id));
        CREATE TABLE IF NOT EXISTS hr_originals (
            tenant TEXT NOT NULL,
            hash TEXT NOT NULL,
            content BLOB NOT NULL,
            created INTEGER NOT NULL,
            expires INTEGER NOT NULL,
            PRIMARY KEY (tenant, hash));
        CREATE INDEX IF NOT EXISTS hr_originals_expires_idx ON hr_originals (expires);
        CREATE TABLE IF NOT EXISTS hr_compression_cache (
            original_hash TEXT NOT NULL,
            compressor TEXT NOT NULL,
            compressor_version TEXT NOT NULL,
            options TEXT NOT NULL,
            output BLOB NOT NULL,
            spans BLOB NOT NULL,
            created INTEGER NOT NULL,
            PRIMARY KEY (original_hash, compressor, compressor_version, options));
        """,
    ];
}
