namespace Headroom.Provenance.EventStore;

/// <summary>Reads one projection document as JSON: what the queries need from either backend.</summary>
internal interface IProjectionDocuments
{
    Task<byte[]?> LoadDocumentAsync(string type, string id, CancellationToken cancellationToken);
}
