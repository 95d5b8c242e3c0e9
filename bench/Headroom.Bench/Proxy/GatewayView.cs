using System.Globalization;
using System.Text.Json;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The gateway's own account, from <c>GET /telemetry/summary</c>: its last 100 request records (total,
/// time before forwarding, tokens saved, session) and its per-tool output counts. What the gateway says
/// about itself, printed next to what the bench measured from outside.
/// </summary>
internal sealed class GatewayView
{
    private GatewayView(IReadOnlyList<Request> recent, IReadOnlyList<Tool> tools, string? error)
    {
        Recent = recent;
        Tools = tools;
        Error = error;
    }

    /// <summary>One of the gateway's recent request records.</summary>
    public readonly record struct Request(string? Session, double TotalMs, double OverheadMs, long TokensSaved);

    /// <summary>The gateway's count of one tool's new outputs, and how many it compressed.</summary>
    public readonly record struct Tool(string Name, long Outputs, long Compressed, long TokensBefore, long TokensAfter);

    public IReadOnlyList<Request> Recent { get; }

    public IReadOnlyList<Tool> Tools { get; }

    /// <summary>Why the summary could not be read (null when it was).</summary>
    public string? Error { get; }

    public static async Task<GatewayView> ReadAsync(HttpClient http, Uri gateway)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetByteArrayAsync(new Uri(gateway, "telemetry/summary")).ConfigureAwait(false));
            var root = document.RootElement;
            var recent = new List<Request>();
            if (root.TryGetProperty("recent", out var records))
            {
                foreach (var r in records.EnumerateArray())
                {
                    recent.Add(new Request(Text(r, "sessionId"), Number(r, "totalMs"), Number(r, "overheadMs"), (long)Number(r, "tokensSaved")));
                }
            }

            var tools = new List<Tool>();
            if (root.TryGetProperty("tools", out var perTool))
            {
                foreach (var t in perTool.EnumerateArray())
                {
                    tools.Add(new Tool(Text(t, "tool") ?? "?", (long)Number(t, "outputs"), (long)Number(t, "compressed"), (long)Number(t, "tokensBefore"), (long)Number(t, "tokensAfter")));
                }
            }

            return new GatewayView(recent, tools, null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            return new GatewayView([], [], e.Message);
        }
    }

    /// <summary>Medians of the recent records (of one session when given): total, before forwarding, and its share.</summary>
    public string Medians(string? session = null)
    {
        if (Error is not null)
        {
            return "unavailable (" + Error + ")";
        }

        var mine = Recent.Where(r => session is null || r.Session == session).ToList();
        if (mine.Count == 0)
        {
            return "no recent records";
        }

        var total = Median(mine.Select(r => r.TotalMs));
        var overhead = Median(mine.Select(r => r.OverheadMs));
        return string.Create(CultureInfo.InvariantCulture,
            $"{mine.Count} records: median totalMs {total:0.000}, median overheadMs (before forwarding) {overhead:0.000} = {overhead / total:P0} of total, median tokens saved {Median(mine.Select(r => (double)r.TokensSaved)):0}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
