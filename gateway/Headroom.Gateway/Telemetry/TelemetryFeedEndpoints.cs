using System.Globalization;
using System.Text;
using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Telemetry;

/// <summary><c>GET /telemetry/feed?after=&amp;limit=&amp;wait=</c> (NDJSON) and <c>GET /telemetry/schema</c>; admin-gated.</summary>
internal static class TelemetryFeedEndpoints
{
    public const string CursorHeader = "x-headroom-cursor";

    public static IEndpointRouteBuilder MapTelemetryFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/telemetry/feed", FeedAsync);
        app.MapGet("/telemetry/schema", (HttpContext context, IOptions<GatewayOptions> options) =>
            AdminGate.IsAllowed(context, options.Value) ? Results.Text(Schema(), "text/plain; charset=utf-8") : AdminGate.Denied(options.Value));
        return app;
    }

    private static async Task FeedAsync(HttpContext context, TelemetryFeed feed, IOptions<GatewayOptions> options)
    {
        if (!AdminGate.IsAllowed(context, options.Value))
        {
            await AdminGate.Denied(options.Value).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (!TryLong(query["after"], 0, out var after) || !TryLong(query["limit"], 100, out var limit) || !TryDouble(query["wait"], 0, out var wait) || after < 0 || limit < 1 || wait < 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("after, limit and wait must be non-negative numbers (limit ≥ 1): /telemetry/feed?after=CURSOR&limit=100&wait=30\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        FeedPage page;
        try
        {
            page = await feed.ReadAsync(after, (int)Math.Min(limit, TelemetryFeed.MaxLimit), TimeSpan.FromSeconds(Math.Min(wait, TelemetryFeed.MaxWait.TotalSeconds)), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the agent went away while waiting
        }

        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers[CursorHeader] = page.Cursor.ToString(CultureInfo.InvariantCulture);
        foreach (var line in page.Lines)
        {
            await context.Response.Body.WriteAsync(line, context.RequestAborted).ConfigureAwait(false);
        }
    }

    internal static string Schema()
    {
        var text = new StringBuilder();
        text.Append("GET /telemetry/feed?after=CURSOR&limit=N&wait=SECONDS: NDJSON, one line per request, in order. Resume with after=<cursor of the last line> (or the x-headroom-cursor header). wait long-polls for new lines (max 60 s).\n");
        foreach (var (name, type, meaning) in FeedLine.Fields)
        {
            text.Append(name).Append(' ').Append(type).Append(": ").Append(meaning).Append('\n');
        }

        text.Append("GET /telemetry/summary: totals, cost (billed, noGateway, compressionSaved, cachingSaved USD) by model, session and tool.\n");
        return text.ToString();
    }

    private static bool TryLong(string? value, long fallback, out long result)
    {
        result = fallback;
        return string.IsNullOrEmpty(value) || long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
    }

    private static bool TryDouble(string? value, double fallback, out double result)
    {
        result = fallback;
        return string.IsNullOrEmpty(value) || (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result));
    }
}
