namespace Headroom.Provenance.EventStore.Postgres;

/// <summary>
/// Ordered migrations; each runs once, in a transaction holding an advisory lock, so several gateway
/// replicas starting together migrate once. Events, streams, projection documents and progress are
/// Marten's (mt_ tables); a database from before Marten still has hr_events, which
/// <see cref="Marten.LegacyEventsMigration"/> moves into Marten on open.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Arbitrary constant for pg_advisory_xact_lock ("hrschema").</summary>
    public const long MigrationLockKey = 0x6872736368656D61;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS hr_originals (
            tenant text NOT NULL,
            hash text NOT NULL,
            content bytea NOT NULL,
            created timestamptz NOT NULL,
            expires timestamptz NOT NULL,
            PRIMARY KEY (tenant, hash));
        CREATE INDEX IF NOT EXISTS hr_originals_expires_idx ON hr_originals (expires);
        CREATE TABLE IF NOT EXISTS hr_compression_cache (
            original_hash text NOT NULL,
            compressor text NOT NULL,
            compressor_version text NOT NULL,
            options text NOT NULL,
            output bytea NOT NULL,
            spans bytea NOT NULL,
            created timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (original_hash, compressor, compressor_version, options));
        """,
    ];
}
