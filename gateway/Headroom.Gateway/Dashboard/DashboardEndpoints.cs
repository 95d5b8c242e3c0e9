using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Dashboard;

/// <summary>
/// <c>GET /dashboard</c>: one page, its script and style sheet, under the admin rules of /metrics and
/// /telemetry/* (loopback only, or the bearer token when <c>Headroom:AdminToken</c> is set). The page
/// holds no data: it reads /telemetry/summary, /telemetry/feed (long-poll), /telemetry/retrievals and
/// /provenance/{id} from the browser, so each of those keeps its own gate.
/// </summary>
internal static class DashboardEndpoints
{
    // No inline script or style, nothing from elsewhere: the page only talks to this gateway.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext context, IOptions<GatewayOptions> options) => Serve(context, options.Value, "index.html"));
        app.MapGet("/dashboard/{file}", (string file, HttpContext context, IOptions<GatewayOptions> options) => Serve(context, options.Value, file));
        return app;
    }

    private static IResult Serve(HttpContext context, GatewayOptions options, string file)
    {
        if (!AdminGate.IsAllowed(context, options))
        {
            return AdminGate.Denied(options);
        }

        if (DashboardAssets.Embedded.Find(file) is not { } asset)
        {
            return Results.Json(new AdminError($"No dashboard file '{file}'. Open /dashboard."), GatewayJsonContext.Default.AdminError, statusCode: StatusCodes.Status404NotFound);
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Behind the admin gate: a shared cache must never keep it; the browser revalidates by ETag.
        headers.CacheControl = "private, no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
