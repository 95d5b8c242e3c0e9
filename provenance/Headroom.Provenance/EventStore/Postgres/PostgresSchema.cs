namespace Headroom.Provenance.EventStore.Postgres;

/// <summary>
/// Ordered migrations; each runs once, in a transaction holding an advisory lock, so several gateway
/// replicas starting together migrate once. Shape follows Marten's mt_streams / mt_events /
/// mt_event_progression, prefixed hr_.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Arbitrary constant for pg_advisory_xact_lock ("hrschema").</summary>
    public const long MigrationLockKey = 0x6872736368656D61;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS hr_streams (
            id text PRIMARY KEY,
            version bigint NOT NULL,
            created timestamptz NOT NULL DEFAULT now(),
            updated timestamptz NOT NULL DEFAULT now());
        CREATE SEQUENCE IF NOT EXISTS hr_events_sequence;
        CREATE TABLE IF NOT EXISTS hr_events (
            seq_id bigint PRIMARY KEY,
            id uuid NOT NULL CONSTRAINT hr_events_id_key UNIQUE,
            stream_id text NOT NULL,
            version bigint NOT NULL,
            type text NOT NULL,
            data jsonb NOT NULL,
            timestamp timestamptz NOT NULL,
            CONSTRAINT hr_events_stream_version_key UNIQUE (stream_id, version));
        CREATE TABLE IF NOT EXISTS hr_progression (
            name text PRIMARY KEY,
            last_seq_id bigint NOT NULL,
            updated timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS hr_documents (
            type text NOT NULL,
            id text NOT NULL,
            data jsonb NOT NULL,
            updated timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (type, id));
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
