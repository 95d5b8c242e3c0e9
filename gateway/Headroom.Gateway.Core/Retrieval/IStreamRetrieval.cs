namespace Headroom.Gateway.Retrieval;

/// <summary>
/// A protocol's streaming side of the retrieval loop: relay the upstream's events to the client as
/// its bytes, hold back and cut out our own tool call, and splice the continuation's events into the
/// same stream. Returns an error code for accounting, or null.
/// </summary>
internal interface IStreamRetrieval
{
    Task<string?> RunAsync(RetrievalRun run, HttpResponseMessage first);
}
