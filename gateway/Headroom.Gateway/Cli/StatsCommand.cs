using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;

namespace Headroom.Gateway.Cli;

/// <summary><c>headroom stats</c>: the running gateway's <c>/telemetry/summary</c> as tables (totals, models, sessions, tools).</summary>
internal static class StatsCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8787";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = $"The gateway's base URL (default {DefaultUrl}).", DefaultValueFactory = _ => DefaultUrl };
        var token = new Option<string?>("--token") { Description = "Admin bearer token (default: the HEADROOM_ADMIN_TOKEN environment variable)." };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON as served." };
        var command = new Command("stats", "Show the running gateway's token, cache and cost summary.") { url, token, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            return await RunAsync(parse.GetValue(url) ?? DefaultUrl, parse.GetValue(token) ?? Environment.GetEnvironmentVariable("HEADROOM_ADMIN_TOKEN"), parse.GetValue(json), console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(string baseUrl, string? token, bool raw, IAnsiConsole console, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "telemetry/summary"));
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                console.MarkupLine(Markup.Escape($"headroom stats: {baseUrl} answered {(int)response.StatusCode}: {body}"));
                return 1;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            console.MarkupLine(Markup.Escape($"headroom stats: cannot reach the gateway at {baseUrl} ({e.Message}). Is `headroom proxy` running? Use --url to point elsewhere."));
            return 1;
        }

        if (raw)
        {
            console.Profile.Out.Writer.WriteLine(body);
            return 0;
        }

        using var document = JsonDocument.Parse(body);
        Render(document.RootElement, console);
        return 0;
    }

    public static void Render(JsonElement summary, IAnsiConsole console)
    {
        var usage = summary.GetProperty("usage");
        var cost = summary.TryGetProperty("cost", out var c) ? c : default;
        var totals = new Table().Title("Headroom gateway").AddColumns("requests", "errors", "input", "cache read", "cache write", "output", "saved tokens", "billed $", "no-gateway $", "compression $", "caching $");
        totals.AddRow(
            Int(summary, "requests"), Int(summary, "errors"), Int(usage, "inputTokens"), Int(usage, "cacheReadTokens"),
            Long(usage, "cacheWrite5mTokens") + Long(usage, "cacheWrite1hTokens") is var w ? w.ToString("N0", CultureInfo.InvariantCulture) : "",
            Int(usage, "outputTokens"), Int(cost, "tokensSaved"), Usd(cost, "billedUsd"), Usd(cost, "noGatewayUsd"), Usd(cost, "compressionSavedUsd"), Usd(cost, "cachingSavedUsd"));
        console.Write(totals);
        if (cost.ValueKind == JsonValueKind.Object && Long(cost, "unpricedRequests") > 0)
        {
            console.MarkupLine(Markup.Escape($"{Long(cost, "unpricedRequests")} request(s) for models without a price: counted in tokens only."));
        }

        var models = new Table().Title("By model").AddColumns("provider", "model", "requests", "input", "cache read", "output", "billed $", "saved $");
        foreach (var m in Array(summary, "models"))
        {
            var mc = m.TryGetProperty("cost", out var x) ? x : default;
            var mu = m.GetProperty("usage");
            models.AddRow(Str(m, "provider"), Str(m, "model"), Int(m, "requests"), Int(mu, "inputTokens"), Int(mu, "cacheReadTokens"), Int(mu, "outputTokens"), Usd(mc, "billedUsd"), Saved(mc));
        }

        console.Write(models);
        var sessions = new Table().Title("By session (most recent first)").AddColumns("session", "requests", "cache read", "breaks", "last verdict", "billed $", "saved $");
        foreach (var s in Array(summary, "sessions").Take(15))
        {
            var sc = s.GetProperty("cost");
            sessions.AddRow(Str(s, "session"), Int(s, "requests"), Int(s.GetProperty("usage"), "cacheReadTokens"), Int(s, "cacheBreaks"), Str(s, "lastVerdict"), Usd(sc, "billedUsd"), Saved(sc));
        }

        console.Write(sessions);
        var tools = new Table().Title("By tool (outputs seen by the live zone)").AddColumns("tool", "outputs", "compressed", "tokens before", "tokens after", "saved");
        foreach (var t in Array(summary, "tools"))
        {
            tools.AddRow(Str(t, "tool"), Int(t, "outputs"), Int(t, "compressed"), Int(t, "tokensBefore"), Int(t, "tokensAfter"), Int(t, "tokensSaved"));
        }

        console.Write(tools);
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static long Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;

    private static string Int(JsonElement e, string name) => Long(e, name).ToString("N0", CultureInfo.InvariantCulture);

    private static string Str(JsonElement e, string name) =>
        Markup.Escape(e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "");

    private static string Usd(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetDecimal(out var d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Saved(JsonElement cost) =>
        cost.ValueKind == JsonValueKind.Object && cost.TryGetProperty("compressionSavedUsd", out var a) && cost.TryGetProperty("cachingSavedUsd", out var b)
            ? (a.GetDecimal() + b.GetDecimal()).ToString("0.0000", CultureInfo.InvariantCulture)
            : "-";
}
