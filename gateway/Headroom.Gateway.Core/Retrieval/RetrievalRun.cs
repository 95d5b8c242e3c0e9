using Headroom.Gateway.Providers;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// One request inside a retrieval loop: what a protocol's stream side needs from the loop that runs it
/// (the gateway's over its HTTP response, the in-process client's over the response it hands the SDK).
/// </summary>
internal abstract class RetrievalRun
{
    /// <summary>How many times a turn that calls only our tool is continued upstream.</summary>
    public const int MaxRounds = 3;

    protected RetrievalRun(byte[] body, TenantId tenant, IWireProtocol protocol, ApiKind api, CancellationToken aborted)
    {
        Body = body;
        Tenant = tenant;
        Protocol = protocol;
        Api = api;
        Aborted = aborted;
    }

    /// <summary>The request as last sent upstream; each continuation replaces it.</summary>
    public byte[] Body { get; set; }

    public TenantId Tenant { get; }

    public IWireProtocol Protocol { get; }

    public ApiKind Api { get; }

    public CancellationToken Aborted { get; }

    /// <summary>Where the client's events are written, once <see cref="StartStreamAsync"/> committed the stream.</summary>
    public abstract Stream ClientBody { get; }

    /// <summary>Why the upstream's stream failed mid-way (set by the transport), or null.</summary>
    public abstract string? StreamFailure { get; }

    /// <summary>Commits the client's 200 with the upstream's headers; the stream's events follow.</summary>
    public abstract Task StartStreamAsync(HttpResponseMessage first);

    /// <summary>Answers our calls from this tenant's originals (recording each retrieval).</summary>
    public abstract Task<List<RetrievedOriginal>> AnswerAsync(IEnumerable<TurnItem> calls);

    /// <summary>
    /// Sends <see cref="Body"/> as the streaming continuation of round <paramref name="round"/>. On failure the
    /// client's stream ends with a provider-shaped error event and null is returned.
    /// </summary>
    public abstract Task<HttpResponseMessage?> ContinueStreamAsync(int round);

    /// <summary>Sends a JSON continuation upstream (errors propagate to the loop's caller).</summary>
    public abstract Task<HttpResponseMessage> SendAsync(byte[] body);

    public abstract void ContinuationFailed(int round, int status);

    public abstract void MixedCalls();

    public abstract void Continuing(int calls, int round);
}
