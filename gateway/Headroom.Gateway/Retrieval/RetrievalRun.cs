using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Providers;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Retrieval;

/// <summary>One request inside the <see cref="RetrievalLoop"/>: what a protocol's stream side needs from the loop.</summary>
internal sealed class RetrievalRun
{
    private readonly RetrievalLoop _loop;

    public RetrievalRun(RetrievalLoop loop, HttpContext context, ProxyExchange exchange, string upstream, byte[] body, TenantId tenant, IWireProtocol protocol)
    {
        _loop = loop;
        Context = context;
        Exchange = exchange;
        Upstream = upstream;
        Body = body;
        Tenant = tenant;
        Protocol = protocol;
    }

    public HttpContext Context { get; }

    public ProxyExchange Exchange { get; }

    public string Upstream { get; }

    /// <summary>The request as last sent upstream; each continuation replaces it.</summary>
    public byte[] Body { get; set; }

    public TenantId Tenant { get; }

    public IWireProtocol Protocol { get; }

    public ApiKind Api => Exchange.Route.Api;

    public CancellationToken Aborted => Context.RequestAborted;

    public static int MaxRounds => RetrievalLoop.MaxRounds;

    /// <summary>Commits the client's 200 with the upstream's headers; the stream's events follow.</summary>
    public Task StartStreamAsync(HttpResponseMessage first)
    {
        var client = Context.Response;
        client.StatusCode = 200;
        RetrievalLoop.CopyHeaders(first, client);
        return client.StartAsync(Aborted);
    }

    /// <summary>Answers our calls from this tenant's originals (recording each retrieval).</summary>
    public Task<List<RetrievedOriginal>> AnswerAsync(IEnumerable<TurnItem> calls) => _loop.AnswerAsync(Exchange, Tenant, calls, Aborted);

    /// <summary>
    /// Sends <see cref="Body"/> as the streaming continuation of round <paramref name="round"/>. On failure the
    /// client's stream ends with a provider-shaped error event and null is returned.
    /// </summary>
    public Task<HttpResponseMessage?> ContinueStreamAsync(int round) => _loop.ContinueStreamAsync(Context, Exchange, Upstream, Body, round);

    public void MixedCalls() => RetrievalLog.MixedCalls(_loop.Logger, Exchange.RequestId);

    public void Continuing(int calls, int round) => RetrievalLog.Continuing(_loop.Logger, Exchange.RequestId, calls, round);
}
