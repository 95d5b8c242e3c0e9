using System.IO.Pipelines;
using System.Net;
using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance.Originals;

namespace Headroom.Client;

/// <summary>A <see cref="RetrievalRun"/> in process: continuations go through the handler's inner handler, stream events into a pipe the SDK reads.</summary>
internal sealed class ClientRetrievalRun : RetrievalRun
{
    private readonly HeadroomHandler _handler;
    private readonly HeadroomEngine _engine;
    private readonly HttpRequestMessage _request;
    private readonly ProviderRoute _route;
    private Stream? _clientBody;

    public ClientRetrievalRun(HeadroomHandler handler, HeadroomEngine engine, HttpRequestMessage request, byte[] body, TenantId tenant, IWireProtocol protocol, ProviderRoute route, CancellationToken aborted)
        : base(body, tenant, protocol, route.Api, aborted)
    {
        _handler = handler;
        _engine = engine;
        _request = request;
        _route = route;
    }

    /// <summary>The client's side of a stream: the relay writes, the SDK reads.</summary>
    public Pipe Pipe { get; } = new();

    /// <summary>Completed when the relay commits the stream.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Stream ClientBody => _clientBody ??= Pipe.Writer.AsStream();

    public override string? StreamFailure => null;

    public override Task StartStreamAsync(HttpResponseMessage first)
    {
        Started.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task<List<RetrievedOriginal>> AnswerAsync(IEnumerable<TurnItem> calls) => _engine.AnswerAsync(Tenant, calls, Aborted);

    public override async Task<HttpResponseMessage?> ContinueStreamAsync(int round)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(Body).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            await ClientBody.WriteAsync(ProviderErrors.SseEvent(_route.Provider, 502, "Headroom: the upstream provider failed while a headroom_retrieve call was served. Retry the request."), Aborted).ConfigureAwait(false);
            return null;
        }

        if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return response;
        }

        ContinuationFailed(round, (int)response.StatusCode);
        var detail = await response.Content.ReadAsStringAsync(Aborted).ConfigureAwait(false);
        await ClientBody.WriteAsync(ProviderErrors.SseEvent(_route.Provider, (int)response.StatusCode,
            $"Headroom: the upstream answered {(int)response.StatusCode} while a headroom_retrieve call was served: {(detail.Length > 300 ? detail[..300] : detail)}"), Aborted).ConfigureAwait(false);
        response.Dispose();
        return null;
    }

    public override Task<HttpResponseMessage> SendAsync(byte[] body)
    {
        // The caller's request again (its headers, its URI), with the continued body.
        var next = new HttpRequestMessage(_request.Method, _request.RequestUri)
        {
            Version = _request.Version,
            VersionPolicy = _request.VersionPolicy,
            Content = HeadroomHandler.Rebody(_request.Content, body),
        };
        foreach (var header in _request.Headers)
        {
            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return _handler.SendInnerAsync(next, Aborted);
    }

    public override void ContinuationFailed(int round, int status) => ClientLog.ContinuationFailed(_engine.Logger, round, status);

    public override void MixedCalls() => ClientLog.MixedCalls(_engine.Logger);

    public override void Continuing(int calls, int round) => ClientLog.Continuing(_engine.Logger, calls, round);
}
