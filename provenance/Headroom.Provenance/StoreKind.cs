namespace Headroom.Provenance;

internal enum StoreKind
{
    Sqlite,
    Postgres,
}
