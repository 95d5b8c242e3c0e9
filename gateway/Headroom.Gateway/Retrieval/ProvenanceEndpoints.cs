using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.LiveZone;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Retrieval;

internal static class ProvenanceEndpoints
{
    public static IEndpointRouteBuilder MapProvenanceEndpoints(this IEndpointRouteBuilder app)
    {
        // Where every span of a forwarded request came from: for the caller's own requests (the API key
        // that made them), or any request with the admin token.
        app.MapGet("/provenance/{requestId}", async (string requestId, string? view, HttpContext context, ProvenanceStore store, TenantResolver tenants, ReplayCache replay, IOptions<GatewayOptions> options) =>
        {
            var admin = AdminGate.IsAllowed(context, options.Value);
            var tokenSet = !string.IsNullOrEmpty(options.Value.AdminToken);
            if (!admin && !tokenSet)
            {
                return AdminGate.Denied(options.Value);
            }

            var provenance = await store.GetRequestProvenanceAsync(requestId, context.RequestAborted).ConfigureAwait(false);
            var caller = tenants.ResolveForRetrieval(context.Request, options.Value);
            if (provenance is not null && !(admin && tokenSet)
                && !string.Equals(caller.Value, provenance.Tenant, StringComparison.Ordinal)
                && !(TenantResolver.IsKeyless(caller) && TenantResolver.IsKeylessConversation(provenance.Tenant)))
            {
                // Another key's request: answered like an unknown one. Keyless callers (loopback, no admin
                // token) still see keyless conversations, as they always did; their originals stay apart.
                provenance = null;
            }

            if (provenance is not null && !string.Equals(view, "full", StringComparison.OrdinalIgnoreCase))
            {
                // Compact by default: the forwarded text of changed blocks only with ?view=full.
                provenance = provenance with { Sources = provenance.Sources.Select(s => s.Output is null ? s : s with { Output = null }).ToList() };
            }
            else if (provenance is not null)
            {
                // A replayed block refers to the text its first request stored, by the original's hash.
                var sources = new List<Headroom.Provenance.Events.ContextBlock>(provenance.Sources.Count);
                foreach (var source in provenance.Sources)
                {
                    var forwarded = source is { Output: null, Compressor: not null, Hash: { } hash }
                        ? await replay.TryGetAsync(LiveCompressor.ForwardedByOriginalKey(hash), context.RequestAborted).ConfigureAwait(false)
                        : null;
                    sources.Add(forwarded?.Token is { } token ? source with { Output = JsonRanges.DecodeString(token, (0, token.Length)) } : source);
                }

                provenance = provenance with { Sources = sources };
            }

            return provenance is null
                ? Results.Json(new AdminError($"No provenance for request '{requestId}'. Request ids come from the x-headroom-request-id response header; recording can lag a request by a moment."), GatewayJsonContext.Default.AdminError, statusCode: StatusCodes.Status404NotFound)
                : Results.Json(provenance, ProvenanceJsonContext.Default.RequestProvenance);
        });

        // The original of a compressed tool output, for the caller's own API key (tenant) only. Without an
        // admin token, loopback callers only. With one, any caller gets its own key's originals: an
        // OpenAI-style caller by its bearer key; the admin (bearer = the admin token) by x-api-key.
        app.MapGet("/v1/retrieve/{hash}", async (string hash, HttpContext context, ProvenanceStore store, TenantResolver tenants, RetrievalLearning learning, IOptions<GatewayOptions> options) =>
        {
            var tokenSet = !string.IsNullOrEmpty(options.Value.AdminToken);
            var admin = AdminGate.IsAllowed(context, options.Value);
            if (!admin && !tokenSet)
            {
                return AdminGate.Denied(options.Value);
            }

            if (!OriginalHash.IsValid(hash))
            {
                return Results.Json(new AdminError("A hash is the 24 lower-case hex digits after 'hash=' in a [headroom: ...] marker."), GatewayJsonContext.Default.AdminError, statusCode: StatusCodes.Status400BadRequest);
            }

            var tenant = tenants.ResolveKeylessRetrieval(context.Request, admin ? tenants.ResolveForRetrieval(context.Request, options.Value) : tenants.Resolve(context.Request));
            var original = await store.Originals.GetAsync(tenant, hash, context.RequestAborted).ConfigureAwait(false);
            store.Writer.Record(new RetrievalServed { RequestId = RequestIds.Next(), Hash = hash, Found = original is not null, Bytes = original?.Length ?? 0, Via = "http" });
            if (original is not null)
            {
                learning.Retrieved(hash);
            }

            return original is null
                ? Results.Json(new AdminError($"No original with hash {hash} for this API key: it expired (retention {options.Value.RetentionDays} days), or it was stored for another key. A caller without a key names its conversation with the x-headroom-session-id header (the session id the feed shows)."), GatewayJsonContext.Default.AdminError, statusCode: StatusCodes.Status404NotFound)
                : Results.Bytes(original, "text/plain; charset=utf-8");
        });
        // How often each tool's compressed outputs are retrieved (and how much more they now keep).
        app.MapGet("/telemetry/retrievals", (HttpContext context, RetrievalLearning learning, IOptions<GatewayOptions> options) =>
            AdminGate.IsAllowed(context, options.Value)
                ? Results.Json(learning.Snapshot(), GatewayJsonContext.Default.IReadOnlyListRetrievalRate)
                : AdminGate.Denied(options.Value));
        return app;
    }
}
