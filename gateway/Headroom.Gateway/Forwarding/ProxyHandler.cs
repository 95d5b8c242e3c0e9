using System.Buffers;
using System.Diagnostics;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Headroom.Gateway.Forwarding;

/// <summary>Forwards one provider request and accounts for it.</summary>
internal sealed class ProxyHandler
{
    public const string RequestIdHeader = "x-headroom-request-id";

    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamInvoker _invoker;
    private readonly GatewayOptions _options;
    private readonly IRequestRecordSink[] _sinks;
    private readonly ILogger<ProxyHandler> _logger;
    private readonly ForwarderRequestConfig _config;
    private readonly LiveCompressor _live;
    private readonly TenantResolver _tenants;
    private readonly RetrievalLoop _retrieval;
    private readonly GatewayTransformer _transformer;

    public ProxyHandler(IHttpForwarder forwarder, UpstreamInvoker invoker, LiveCompressor live, TenantResolver tenants, RetrievalLoop retrieval, IOptions<GatewayOptions> options, IEnumerable<IRequestRecordSink> sinks, ILogger<ProxyHandler> logger)
    {
        _retrieval = retrieval;
        _live = live;
        _tenants = tenants;
        _forwarder = forwarder;
        _invoker = invoker;
        _options = options.Value;
        _sinks = sinks.ToArray();
        _logger = logger;
        _config = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(_options.UpstreamIdleTimeoutSeconds),
            // Never buffer the client's response: SSE must reach the client event by event.
            AllowResponseBuffering = false,
            // HTTP/2 when the upstream offers it (ALPN over TLS), HTTP/1.1 otherwise (and always on cleartext).
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _transformer = new GatewayTransformer(_options.ForwardedHeaders);
    }

    public async Task HandleAsync(HttpContext context)
    {
        // 1. Identify the request and its provider.
        var route = RouteClassifier.Classify(context.Request.Path.Value ?? "", new HttpRequestHeaders(context.Request.Headers));
        var exchange = new ProxyExchange(RequestIds.Next(), route, context.RequestAborted);
        context.Features.Set(exchange);
        context.Response.Headers[RequestIdHeader] = exchange.RequestId;
        var upstream = route.Provider switch
        {
            Provider.Anthropic => _options.Upstreams.Anthropic,
            Provider.Gemini => _options.Upstreams.Gemini,
            _ => _options.Upstreams.OpenAI,
        };

        byte[]? rented = null;
        long requestBytes = context.Request.ContentLength ?? 0;
        string? error = null;
        var originalBody = context.Response.Body;
        try
        {
            // 2. Enforce the body limit, in the provider's error shape.
            if (context.Request.ContentLength > _options.MaxBodyBytes)
            {
                ProxyLog.BodyTooLarge(_logger, exchange.RequestId, context.Request.ContentLength.Value, _options.MaxBodyBytes);
                error = "request_too_large";
                await ProviderErrorResponses.WriteAsync(context, route.Provider, StatusCodes.Status413PayloadTooLarge, TooLargeMessage()).ConfigureAwait(false);
                return;
            }

            // Every request is recorded for its caller's tenant (the live zone narrows a keyless one to its conversation).
            var tenant = _tenants.Resolve(context.Request);
            exchange.Tenant = tenant.Value;

            // 3. Model API calls are read whole so the gateway can work on them (and so a chunked
            //    body is held to the limit too). The bytes are forwarded exactly as received.
            if (route.Walkable && HttpMethods.IsPost(context.Request.Method))
            {
                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                if (body.Buffer is null)
                {
                    ProxyLog.BodyTooLarge(_logger, exchange.RequestId, body.Length, _options.MaxBodyBytes);
                    error = "request_too_large";
                    await ProviderErrorResponses.WriteAsync(context, route.Provider, StatusCodes.Status413PayloadTooLarge, TooLargeMessage()).ConfigureAwait(false);
                    return;
                }

                rented = body.Buffer;
                requestBytes = body.Length;
                var forward = await LiveZoneAsync(context, exchange, tenant, rented.AsMemory(0, body.Length)).ConfigureAwait(false);
                context.Request.Body = forward is null ? new MemoryStream(rented, 0, body.Length, writable: false) : new MemoryStream(forward, writable: false);
                context.Request.ContentLength = forward?.Length ?? body.Length;
                context.Request.Headers.TransferEncoding = default;
            }
            else if (context.Request.ContentLength is null && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                // Routes the gateway streams through (files, audio, embeddings, ...) are held to the same limit while
                // they stream, chunked (a declared length is checked above). Kestrel's own limit stays unset on every
                // route: BodyLimitStream says why.
                context.Request.Body = new BodyLimitStream(context.Request.Body, _options.MaxBodyBytes);
            }

            // 4. Forward; the tee watches the response on its way out. When the gateway added its
            //    retrieve tool, the retrieval loop talks to the upstream itself.
            // The usage-chunk filter sits between the tee and the client, so the tee still sees the chunk.
            context.Response.Body = new ResponseTeeStream(Headroom.Gateway.Caching.UsageChunkFilterStream.Wrap(originalBody, context.Response, exchange), context.Response, exchange);
            if (exchange.Live is { RetrieveToolAdded: true, Body: { } withTool } && exchange.Tenant is { } tenantId)
            {
                error = await _retrieval.RunAsync(context, exchange, upstream, withTool, Headroom.Provenance.Originals.TenantId.Parse(tenantId)).ConfigureAwait(false);
                return;
            }

            var result = await _forwarder.SendAsync(context, upstream, _invoker.Invoker, _config, _transformer).ConfigureAwait(false);

            // 5. Gateway-side failures become provider-shaped errors.
            if (result != ForwarderError.None)
            {
                error = await HandleForwardErrorAsync(context, exchange, upstream, result).ConfigureAwait(false);
            }
            else if (exchange.StreamFailure is not null)
            {
                error = exchange.StreamFailure;
                ProxyLog.StreamFailed(_logger, exchange.RequestId, error);
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            // 6. Account.
            Record(context, exchange, requestBytes, error);
        }
    }

    /// <summary>
    /// Compression and replay for model calls. <c>x-headroom-mode: passthrough</c> forwards the bytes
    /// untouched; <c>off</c> compresses nothing new but still replays earlier turns, so the provider's
    /// prefix cache stays intact. Any failure here forwards the original (fail open).
    /// </summary>
    private async Task<byte[]?> LiveZoneAsync(HttpContext context, ProxyExchange exchange, Headroom.Provenance.Originals.TenantId tenant, ReadOnlyMemory<byte> body)
    {
        var mode = context.Request.Headers["x-headroom-mode"].ToString();
        if (mode.Equals("passthrough", StringComparison.OrdinalIgnoreCase) || exchange.Route.Api == ApiKind.Other)
        {
            return null;
        }

        var compress = _options.Compression.Enabled && !mode.Equals("off", StringComparison.OrdinalIgnoreCase);
        try
        {
            var live = await _live.ProcessAsync(body, exchange.Route.Api, new HttpRequestHeaders(context.Request.Headers), tenant, compress, context.RequestAborted).ConfigureAwait(false);
            exchange.Live = live;
            exchange.Tenant = (live.Tenant ?? tenant).Value;
            foreach (var failure in live.PlannerFailures)
            {
                ProxyLog.PlannerFailed(_logger, exchange.RequestId, failure);
            }

            if (live.PlannerFailures.Count > 0)
            {
                exchange.LiveZoneError = string.Join("; ", live.PlannerFailures);
            }

            return live.Body;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            ProxyLog.LiveZoneFailed(_logger, exchange.RequestId, ex);
            exchange.LiveZoneError = ex.GetType().Name + ": " + ex.Message;
            return null;
        }
    }

    private async Task<string> HandleForwardErrorAsync(HttpContext context, ProxyExchange exchange, string upstream, ForwarderError result)
    {
        var errorFeature = context.Features.Get<IForwarderErrorFeature>();
        var reason = errorFeature?.Exception?.Message ?? result.ToString();
        if (context.RequestAborted.IsCancellationRequested)
        {
            ProxyLog.ClientAborted(_logger, exchange.RequestId);
            return "client_aborted";
        }

        var timedOut = result == ForwarderError.RequestTimedOut || errorFeature?.Exception is TimeoutException;
        var status = timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        if (result is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled)
        {
            status = StatusCodes.Status400BadRequest;
        }

        if (FindTooLarge(errorFeature?.Exception))
        {
            ProxyLog.BodyTooLarge(_logger, exchange.RequestId, _options.MaxBodyBytes + 1, _options.MaxBodyBytes);
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Clear();
                context.Response.Headers[RequestIdHeader] = exchange.RequestId;
                await ProviderErrorResponses.WriteAsync(context, exchange.Route.Provider, StatusCodes.Status413PayloadTooLarge, TooLargeMessage()).ConfigureAwait(false);
            }

            return "request_too_large";
        }

        ProxyLog.ForwardFailed(_logger, exchange.RequestId, upstream, context.Request.Path, result, status, reason);
        if (!context.Response.HasStarted)
        {
            var message = timedOut
                ? $"Headroom gateway: the upstream provider at {upstream} did not answer in time. Retry the request; if it keeps happening, raise Headroom:UpstreamIdleTimeoutSeconds."
                : status == StatusCodes.Status400BadRequest
                    ? "Headroom gateway: the request body could not be read from the client."
                    : $"Headroom gateway: could not reach the upstream provider at {upstream} ({reason}). Check Headroom:Upstreams and your network, then retry.";
            context.Response.Headers.Clear();
            context.Response.Headers[RequestIdHeader] = exchange.RequestId;
            await ProviderErrorResponses.WriteAsync(context, exchange.Route.Provider, status, message).ConfigureAwait(false);
        }

        return timedOut ? "upstream_timeout" : status == StatusCodes.Status400BadRequest ? "client_body_error" : "upstream_unreachable";
    }

    /// <summary>Kestrel's "request body too large" (413), wherever YARP wrapped it.</summary>
    private static bool FindTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct BufferedBody(byte[]? Buffer, int Length);

    private async Task<BufferedBody> ReadBodyAsync(HttpContext context)
    {
        var limit = _options.MaxBodyBytes;
        var declared = context.Request.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 16 * 1024, Math.Min(limit, Array.MaxLength)) + 1);
        var length = 0;
        var stream = context.Request.Body;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new BufferedBody(null, length);
                }

                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > limit)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new BufferedBody(null, length);
            }
        }

        return new BufferedBody(buffer, length);
    }

    private string TooLargeMessage() =>
        $"Headroom gateway: the request body exceeds the gateway's limit of {_options.MaxBodyBytes} bytes (Headroom:MaxBodyBytes). Send a smaller request or raise the limit.";

    private static string? ClientName(HttpRequest request)
    {
        var app = request.Headers["x-app"].ToString();
        var agent = request.Headers.UserAgent.ToString();
        var name = app.Length > 0 ? app : agent;
        return name.Length == 0 ? null : name.Length > 120 ? name[..120] : name;
    }

    private void Record(HttpContext context, ProxyExchange exchange, long requestBytes, string? error)
    {
        var tap = exchange.Tap;
        tap.Complete();
        var end = Stopwatch.GetTimestamp();
        var usage = tap.Usage;
        var record = new RequestRecord
        {
            RequestId = exchange.RequestId,
            StartedAt = exchange.StartedAt,
            Provider = exchange.Route.Provider,
            Api = exchange.Route.Api,
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? "",
            Model = usage.Model,
            ResponseId = usage.ResponseId,
            Streamed = tap.IsEventStream,
            Status = context.Response.StatusCode,
            Usage = usage.Usage,
            RequestBytes = requestBytes,
            ResponseBytes = tap.Bytes,
            TtfbMs = exchange.MillisecondsSinceStart(exchange.FirstByteTimestamp == 0 ? end : exchange.FirstByteTimestamp),
            TotalMs = exchange.MillisecondsSinceStart(end),
            OverheadMs = exchange.MillisecondsSinceStart(exchange.UpstreamSentTimestamp),
            Error = error ?? (usage.ErrorMessage is { } m ? "upstream_error: " + m : null),
            SessionId = exchange.Live?.SessionId,
            Tenant = exchange.Tenant,
            RequestModel = exchange.Live?.Shape?.Model ?? (exchange.Route.Provider == Provider.Gemini ? RouteClassifier.GeminiModel(context.Request.Path.Value ?? "") : null),
            Client = ClientName(context.Request),
            TokensSaved = exchange.Live?.TokensSaved ?? 0,
            Live = exchange.Live,
            LiveZoneError = exchange.LiveZoneError,
            Retrievals = exchange.Retrievals,
        };
        tap.Dispose();
        foreach (var sink in _sinks)
        {
            sink.Record(record);
        }

        ProxyLog.Completed(_logger, record.RequestId, record.Method, record.Path, record.Status, record.TotalMs, record.OverheadMs);
    }
}
