using System.IO.Pipelines;
using System.Net;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance.Originals;

namespace Headroom.Client;

/// <summary>
/// Headroom in an <see cref="HttpClient"/>: give the official Anthropic, OpenAI (or any) SDK an
/// <c>new HttpClient(new HeadroomHandler(options))</c> and its model calls get what the gateway does:
/// 1. the request is read as the gateway reads it (the API from the path, the tenant from the API key);
/// 2. the live zone runs on the bytes: the newest tool outputs compressed with retrievable markers,
///    earlier outputs replayed byte for byte, <c>headroom_retrieve</c> declared after the caller's tools;
/// 3. the request goes on to the inner handler (no <c>x-headroom-*</c> header leaves);
/// 4. when the tool was declared, the model's <c>headroom_retrieve</c> calls are served from the
///    embedded store and the turn is continued upstream, so the SDK only sees the final answer —
///    for JSON responses and for streams (events relayed as they come, on the gateway's own relays).
/// Any failure of the live zone sends the request as the caller built it (fail open).
/// </summary>
public sealed class HeadroomHandler : DelegatingHandler
{
    private readonly HeadroomClientOptions _options;

    /// <summary>Over a new <see cref="SocketsHttpHandler"/>.</summary>
    public HeadroomHandler(HeadroomClientOptions options)
        : this(options, new SocketsHttpHandler())
    {
    }

    public HeadroomHandler(HeadroomClientOptions options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // 1. Which API, which tenant.
        var headers = new MessageHeaders(request);
        var mode = headers["x-headroom-mode"];
        if (request.Method != HttpMethod.Post || request.Content is null || request.RequestUri is null
            || mode.Equals("passthrough", StringComparison.OrdinalIgnoreCase))
        {
            StripOwnHeaders(request);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var route = RouteClassifier.Classify(request.RequestUri.AbsolutePath, headers);
        if (route.Api == ApiKind.Other || WireProtocols.For(route.Api) is not { } protocol)
        {
            StripOwnHeaders(request);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var engine = await HeadroomEngine.ForAsync(_options).ConfigureAwait(false);
        var body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var tenant = engine.Tenants.Resolve(headers, QueryKey(request.RequestUri));

        // 2. The live zone (fail open).
        LiveResult live;
        try
        {
            var compress = engine.Options.Compression.Enabled && !mode.Equals("off", StringComparison.OrdinalIgnoreCase);
            live = await engine.Live.ProcessAsync(body, route.Api, headers, tenant, compress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ClientLog.LiveZoneFailed(engine.Logger, request.RequestUri, ex.GetType().Name + ": " + ex.Message, ex);
            live = LiveResult.Unchanged;
        }

        // 3. Forward (the session header was read; ours never leave).
        StripOwnHeaders(request);
        var sent = live.Body ?? body;
        var original = request.Content;
        request.Content = Rebody(original, sent);
        original.Dispose();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!live.RetrieveToolAdded || live.Body is null)
        {
            return response;
        }

        // 4. The retrieval loop, when the model may call our tool.
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (response.StatusCode != HttpStatusCode.OK || mediaType is not ("application/json" or "text/event-stream"))
        {
            return response;
        }

        var run = new ClientRetrievalRun(this, engine, request, sent, live.Tenant ?? tenant, protocol, route, cancellationToken);
        return mediaType == "text/event-stream"
            ? await StreamAsync(run, response).ConfigureAwait(false)
            : await JsonAsync(run, response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpResponseMessage> JsonAsync(ClientRetrievalRun run, HttpResponseMessage first, CancellationToken cancellationToken)
    {
        var json = await first.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonRetrievalResult result;
        try
        {
            result = await JsonRetrieval.RunAsync(run, first, json).ConfigureAwait(false);
        }
        catch
        {
            first.Dispose();
            throw;
        }

        if (!ReferenceEquals(result.Response, first))
        {
            first.Dispose();
        }

        if (!ReferenceEquals(result.Json, json) || !ReferenceEquals(result.Response, first))
        {
            result.Response.Content = Rebody(result.Response.Content, result.Json);
        }

        return result.Response;
    }

    /// <summary>
    /// A stream in the retrieval loop: the protocol's relay writes the client's events into a pipe the
    /// SDK reads as the response body; the response is handed over once the relay has committed it.
    /// </summary>
    private static async Task<HttpResponseMessage> StreamAsync(ClientRetrievalRun run, HttpResponseMessage first)
    {
        // The relay runs on its own: it ends with the upstream's last event (or its failure, which
        // completes the pipe with the exception, so the SDK's read fails rather than seeing a clean end).
        _ = Task.Run(async () =>
        {
            try
            {
                await run.Protocol.StreamRetrieval.RunAsync(run, first).ConfigureAwait(false);
                await run.Pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                run.Started.TrySetException(ex);
                await run.Pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
            }
            finally
            {
                run.Started.TrySetException(new InvalidOperationException("The stream relay ended before it committed the response."));
                first.Dispose();
            }
        }, CancellationToken.None);

        await run.Started.Task.ConfigureAwait(false);
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = first.Version,
            RequestMessage = first.RequestMessage,
            Content = new StreamContent(run.Pipe.Reader.AsStream()),
        };
        CopyHeaders(first, response);
        return response;
    }

    /// <summary>Sends a request of the retrieval loop through the inner handler.</summary>
    internal Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    internal static ByteArrayContent Rebody(HttpContent? like, byte[] body)
    {
        var content = new ByteArrayContent(body);
        if (like is not null)
        {
            foreach (var header in like.Headers)
            {
                if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
        }

        return content;
    }

    private static void CopyHeaders(HttpResponseMessage from, HttpResponseMessage to)
    {
        foreach (var header in from.Headers)
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                to.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var header in from.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                to.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    /// <summary><c>x-headroom-*</c> headers are ours and never leave.</summary>
    private static void StripOwnHeaders(HttpRequestMessage request)
    {
        List<string>? own = null;
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-headroom-", StringComparison.OrdinalIgnoreCase))
            {
                (own ??= []).Add(header.Key);
            }
        }

        foreach (var name in own ?? [])
        {
            request.Headers.Remove(name);
        }
    }

    private static string? QueryKey(Uri uri)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("key=", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair[4..]);
            }
        }

        return null;
    }
}
