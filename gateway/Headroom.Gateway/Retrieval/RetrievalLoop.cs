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
    public const int MaxRounds = RetrievalRun.MaxRounds;

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
            await ProviderErrorResponses.WriteAsync(context, exchange.Route.Provider, timedOut ? 504 : 502, timedOut
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

                var run = new HttpRetrievalRun(this, context, exchange, upstream, body, tenant, protocol);
                return mediaType == "text/event-stream"
                    ? await protocol.StreamRetrieval.RunAsync(run, response).ConfigureAwait(false)
                    : await JsonAsync(context, run, response).ConfigureAwait(false);
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
            await ProviderErrorResponses.WriteAsync(context, exchange.Route.Provider, status, message).ConfigureAwait(false);
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

    private static async Task<string?> JsonAsync(HttpContext context, RetrievalRun run, HttpResponseMessage first)
    {
        var json = await first.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        var result = await JsonRetrieval.RunAsync(run, first, json).ConfigureAwait(false);
        try
        {
            await WriteAsync(context, result.Response, result.Json).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(result.Response, first))
            {
                result.Response.Dispose();
            }
        }

        return result.Error;
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
            var (answer, bytes) = await OriginalLookup.AnswerAsync(_originals, tenant, call, _options.RetentionDays, cancellationToken).ConfigureAwait(false);
            _store.Writer.Record(new RetrievalServed { RequestId = exchange.RequestId, Hash = answer.Hash, Found = answer.Found, Bytes = bytes, Via = "tool" });
            exchange.Retrievals++;
            if (answer.Found)
            {
                _learning.Retrieved(answer.Hash);
            }

            answers.Add(answer);
        }

        return answers;
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpContext context, ProxyExchange exchange, string upstream, byte[] body)
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
