using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenUsage = Headroom.Gateway.Telemetry.TokenUsage;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// Serves the model's <c>headroom_retrieve</c> calls inside the gateway, so the client never
/// sees them. Used for requests to which the gateway added the tool.
/// 1. Send the request; commit the client's status only once the upstream's is known.
/// 2. If the model's turn calls only our tool: answer from the originals store (this tenant's
///    only), append the turn and the answers to the conversation, and continue upstream — at
///    most <see cref="MaxRounds"/> times; usage is summed over the rounds.
/// 3. If the model calls our tool together with the client's tools, our calls are removed and the
///    client gets its own calls (it can answer those; the model may ask again next turn).
/// 4. Streaming stays streaming: events are forwarded as they come, as the upstream's bytes (read
///    with a Utf8JsonReader scan, never a DOM; a moved index or sequence number is rewritten in
///    place); only our tool call and the turn's closing events are held back and parsed, and the
///    continuation's events follow in the same stream with consistent block indices (Anthropic),
///    tool-call indices (Chat) or output indices and sequence numbers (Responses).
/// 5. A JSON body in which our tool's name does not occur goes out as it came, uninspected.
/// </summary>
internal sealed class RetrievalLoop
{
    public const int MaxRounds = 3;

    private static ReadOnlySpan<byte> RetrieveToolName => "headroom_retrieve"u8;

    private readonly UpstreamInvoker _invoker;
    private readonly IOriginalsStore _originals;
    private readonly ProvenanceStore _store;
    private readonly GatewayOptions _options;
    private readonly ILogger<RetrievalLoop> _logger;
    private readonly RetrievalLearning _learning;

    internal ILogger Logger => _logger;

    public RetrievalLoop(UpstreamInvoker invoker, IOriginalsStore originals, ProvenanceStore store, RetrievalLearning learning, IOptions<GatewayOptions> options, ILogger<RetrievalLoop> logger)
    {
        _learning = learning;
        _invoker = invoker;
        _originals = originals;
        _store = store;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs the request; returns an error code for accounting, or null.</summary>
    public async Task<string?> RunAsync(HttpContext context, ProxyExchange exchange, string upstream, byte[] body, TenantId tenant)
    {
        var protocol = WireProtocols.For(exchange.Route.Api)!;
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(context, exchange, upstream, body).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            var timedOut = ex is OperationCanceledException;
            await ProviderErrors.WriteAsync(context, exchange.Route.Provider, timedOut ? 504 : 502, timedOut
                ? $"Headroom gateway: the upstream provider at {upstream} did not answer in time. Retry the request."
                : $"Headroom gateway: could not reach the upstream provider at {upstream} ({ex.Message}). Check Headroom:Upstreams and retry.").ConfigureAwait(false);
            return timedOut ? "upstream_timeout" : "upstream_unreachable";
        }

        using (response)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            try
            {
                if (response.StatusCode != HttpStatusCode.OK || mediaType is not ("application/json" or "text/event-stream"))
                {
                    await CopyAsync(context, response).ConfigureAwait(false);
                    return null;
                }

                if (mediaType == "text/event-stream")
                {
                    var run = new RetrievalRun(this, context, exchange, upstream, body, tenant, protocol);
                    return await protocol.StreamRetrieval.RunAsync(run, response).ConfigureAwait(false);
                }

                return await JsonAsync(context, exchange, upstream, body, tenant, response).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The upstream went silent, broke off, or sent what the loop cannot read (a body cut
                // short, an event of the wrong JSON type): the client gets the provider's error shape,
                // never an empty 500 or a silently cut stream.
                return await FailAsync(context, exchange, upstream, mediaType == "text/event-stream", ex).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> FailAsync(HttpContext context, ProxyExchange exchange, string upstream, bool stream, Exception ex)
    {
        var timedOut = ex is OperationCanceledException or TimeoutException;
        var status = timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        var message = timedOut
            ? $"Headroom gateway: the upstream provider at {upstream} stopped sending data (idle timeout, Headroom:UpstreamIdleTimeoutSeconds). Retry the request."
            : $"Headroom gateway: the response from the upstream provider at {upstream} could not be read ({ex.GetType().Name}: {ex.Message}). Retry the request.";
        var code = timedOut ? "upstream_timeout_mid_stream" : "upstream_bad_response";
        RetrievalLog.UpstreamFailed(_logger, exchange.RequestId, code, ex);
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            context.Response.Headers[Forwarding.ProxyHandler.RequestIdHeader] = exchange.RequestId;
            await ProviderErrors.WriteAsync(context, exchange.Route.Provider, status, message).ConfigureAwait(false);
            return timedOut ? "upstream_timeout" : code;
        }

        if (stream)
        {
            await context.Response.Body.WriteAsync(ProviderErrors.SseEvent(exchange.Route.Provider, status, message), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Abort(); // a JSON body already begun cannot carry an error
        }

        exchange.StreamFailure = code;
        return code;
    }

    // ---- JSON --------------------------------------------------------------------------------

    private async Task<string?> JsonAsync(HttpContext context, ProxyExchange exchange, string upstream, byte[] body, TenantId tenant, HttpResponseMessage first)
    {
        var api = exchange.Route.Api;
        var total = TokenUsage.Empty;
        var response = first;
        var json = await first.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        if (json.AsSpan().IndexOf(RetrieveToolName) < 0)
        {
            // Our tool's name does not occur: the model did not call it, the body goes out as it came.
            await WriteAsync(context, first, json).ConfigureAwait(false);
            return null;
        }

        for (var round = 0; ; round++)
        {
            var usage = new UsageAccumulator();
            usage.Observe(json);
            total = total.Add(usage.Usage ?? TokenUsage.Empty);
            var turn = ResponseInspector.Inspect(json, api);
            byte[]? next = null;
            if (turn is { CallsRetrieve: true, CallsClientTools: false } && round < MaxRounds)
            {
                var answers = await AnswerAsync(exchange, tenant, turn.Items, context.RequestAborted).ConfigureAwait(false);
                next = TurnEditor.Continue(body, api, json, turn, answers);
            }

            if (next is null)
            {
                if (turn is { CallsRetrieve: true, CallsClientTools: true })
                {
                    RetrievalLog.MixedCalls(_logger, exchange.RequestId);
                }

                await WriteFinalJsonAsync(context, response, json, api, turn, round > 0 ? total : null).ConfigureAwait(false);
                return null;
            }

            RetrievalLog.Continuing(_logger, exchange.RequestId, turn!.Items.Count(i => i.IsRetrieve), round + 1);
            body = next;
            if (!ReferenceEquals(response, first))
            {
                response.Dispose();
            }

            response = await SendAsync(context, exchange, upstream, body).ConfigureAwait(false);
            json = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                RetrievalLog.ContinuationFailed(_logger, exchange.RequestId, round + 1, (int)response.StatusCode);
                await WriteAsync(context, response, json).ConfigureAwait(false);
                response.Dispose();
                return "continuation_failed";
            }
        }
    }

    private static Task WriteFinalJsonAsync(HttpContext context, HttpResponseMessage response, byte[] json, ApiKind api, ModelTurn? turn, TokenUsage? summed)
    {
        var splices = new List<Splice>();
        if (turn is { CallsRetrieve: true })
        {
            splices.AddRange(TurnEditor.RemoveItems(json, turn.Items.Where(i => i.IsRetrieve)));
            if (!turn.CallsClientTools && turn.StopReason is { } stop)
            {
                // Nothing left for the client to run: the turn ends here.
                splices.Add(new Splice(stop.Start, stop.End, WireProtocols.For(api)!.EndTurnReason.ToArray()));
            }
        }

        if (summed is not null && turn?.Usage is { } usage)
        {
            splices.Add(new Splice(usage.Start, usage.End, TurnEditor.UsageJson(api, summed)));
        }

        splices.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return WriteAsync(context, response, splices.Count == 0 ? json : Splice.Apply(json, splices));
    }

    /// <summary>
    /// Sends a streaming continuation. On failure the client's stream (already committed with 200)
    /// ends with a provider-shaped error event, and null is returned.
    /// </summary>
    internal async Task<HttpResponseMessage?> ContinueStreamAsync(HttpContext context, ProxyExchange exchange, string upstream, byte[] body, int round)
    {
        var provider = exchange.Route.Provider;
        var client = context.Response.Body;
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(context, exchange, upstream, body).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await client.WriteAsync(ProviderErrors.SseEvent(provider, 502, "Headroom gateway: the upstream provider failed while the gateway served a retrieve call. Retry the request."), context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return response;
        }

        RetrievalLog.ContinuationFailed(_logger, exchange.RequestId, round, (int)response.StatusCode);
        var detail = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
        await client.WriteAsync(ProviderErrors.SseEvent(provider, (int)response.StatusCode, $"Headroom gateway: the upstream answered {(int)response.StatusCode} while the gateway served a retrieve call: {Truncate(detail)}"), context.RequestAborted).ConfigureAwait(false);
        response.Dispose();
        return null;
    }

    // ---- shared --------------------------------------------------------------------------------

    internal async Task<List<RetrievedOriginal>> AnswerAsync(ProxyExchange exchange, TenantId tenant, IEnumerable<TurnItem> items, CancellationToken cancellationToken)
    {
        var answers = new List<RetrievedOriginal>();
        foreach (var call in items.Where(i => i.IsRetrieve))
        {
            var hash = call.Hash ?? "";
            byte[]? original = OriginalHash.IsValid(hash) ? await _originals.GetAsync(tenant, hash, cancellationToken).ConfigureAwait(false) : null;
            _store.Writer.Record(new RetrievalServed { RequestId = exchange.RequestId, Hash = hash, Found = original is not null, Bytes = original?.Length ?? 0, Via = "tool" });
            exchange.Retrievals++;
            if (original is not null)
            {
                _learning.Retrieved(hash);
            }

            answers.Add(original is not null
                ? new RetrievedOriginal(call.CallId ?? "", hash, Encoding.UTF8.GetString(original), true)
                : new RetrievedOriginal(call.CallId ?? "", hash, OriginalHash.IsValid(hash)
                    ? $"No original is stored for hash {hash}: it expired (kept {_options.RetentionDays} days) or was never produced by this gateway for this API key."
                    : "headroom_retrieve needs the 24-character hex hash from a [headroom: ...] note.", false));
        }

        return answers;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpContext context, ProxyExchange exchange, string upstream, byte[] body)
    {
        using var request = UpstreamRequests.Create(context, upstream, body, _options.ForwardedHeaders);
        request.Options.Set(UpstreamGuardHandler.ExchangeKey, exchange);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.UpstreamIdleTimeoutSeconds));
        if (exchange.UpstreamSentTimestamp == 0)
        {
            exchange.UpstreamSentTimestamp = Stopwatch.GetTimestamp();
        }

        var response = await _invoker.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
        // The same idle timeout as the forwarder while the body is read, then: a gzip/br/deflate body is
        // decoded and relayed plain.
        var idle = TimeSpan.FromSeconds(_options.UpstreamIdleTimeoutSeconds);
        response.Content = new WrappedContent(response.Content, source => new IdleTimeoutStream(source, idle));
        ContentCoding.DecodeInPlace(response);
        return response;
    }

    private static async Task CopyAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        CopyHeaders(response, context.Response);
        if (response.Content.Headers.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }

        await using var source = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(HttpContext context, HttpResponseMessage response, byte[] body)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        CopyHeaders(response, context.Response);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Transfer-Encoding", "Connection", "Keep-Alive", "Content-Length", "Upgrade", "Proxy-Connection", "Trailer",
    };

    internal static void CopyHeaders(HttpResponseMessage from, HttpResponse to)
    {
        foreach (var header in from.Headers.Concat(from.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                to.Headers[header.Key] = header.Value.ToArray();
            }
        }
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}
