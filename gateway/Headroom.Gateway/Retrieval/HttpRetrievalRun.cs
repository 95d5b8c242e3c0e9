using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Providers;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Retrieval;

/// <summary>A <see cref="RetrievalRun"/> of the gateway: the client is an ASP.NET response, the upstream the shared invoker.</summary>
internal sealed class HttpRetrievalRun : RetrievalRun
{
    private readonly RetrievalLoop _loop;

    public HttpRetrievalRun(RetrievalLoop loop, HttpContext context, ProxyExchange exchange, string upstream, byte[] body, TenantId tenant, IWireProtocol protocol)
        : base(body, tenant, protocol, exchange.Route.Api, context.RequestAborted)
    {
        _loop = loop;
        Context = context;
        Exchange = exchange;
        Upstream = upstream;
    }

    public HttpContext Context { get; }

    public ProxyExchange Exchange { get; }

    public string Upstream { get; }

    public override Stream ClientBody => Context.Response.Body;

    public override string? StreamFailure => Exchange.StreamFailure;

    public override Task StartStreamAsync(HttpResponseMessage first)
    {
        var client = Context.Response;
        client.StatusCode = 200;
        RetrievalLoop.CopyHeaders(first, client);
        return client.StartAsync(Aborted);
    }

    public override Task<List<RetrievedOriginal>> AnswerAsync(IEnumerable<TurnItem> calls) => _loop.AnswerAsync(Exchange, Tenant, calls, Aborted);

    public override Task<HttpResponseMessage?> ContinueStreamAsync(int round) => _loop.ContinueStreamAsync(Context, Exchange, Upstream, Body, round);

    public override Task<HttpResponseMessage> SendAsync(byte[] body) => _loop.SendAsync(Context, Exchange, Upstream, body);

    public override void ContinuationFailed(int round, int status) => RetrievalLog.ContinuationFailed(_loop.Logger, Exchange.RequestId, round, status);

    public override void MixedCalls() => RetrievalLog.MixedCalls(_loop.Logger, Exchange.RequestId);

    public override void Continuing(int calls, int round) => RetrievalLog.Continuing(_loop.Logger, Exchange.RequestId, calls, round);
}
