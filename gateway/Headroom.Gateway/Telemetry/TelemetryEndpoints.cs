using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Telemetry;

internal static class TelemetryEndpoints
{
    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/telemetry/summary", (HttpContext context, UsageLedger ledger, IOptions<GatewayOptions> options) =>
            AdminGate.IsAllowed(context, options.Value)
                ? Results.Json(ledger.Summary(), TelemetryJsonContext.Default.GatewaySummary)
                : AdminGate.Denied(options.Value));
        app.MapTelemetryFeed(); // /telemetry/feed and /telemetry/schema
        return app;
    }
}
