using System.Net.Http.Headers;
using System.Text.Json;

namespace Headroom.Gateway.Cli;

/// <summary>
/// The gateway's running totals at one moment (<c>/telemetry/summary</c> and the retrieval counts of
/// <c>/telemetry/retrievals</c>). Two snapshots, before and after the agent ran, give what it did.
/// </summary>
internal sealed record WrapSnapshot
{
    public long Requests { get; init; }
    public long InputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long TokensSaved { get; init; }
    public decimal CompressionSavedUsd { get; init; }
    public decimal CachingSavedUsd { get; init; }
    public decimal BilledUsd { get; init; }
    public decimal NoGatewayUsd { get; init; }
    public long Retrievals { get; init; }
    public long UnpricedRequests { get; init; }

    public WrapSnapshot Minus(WrapSnapshot before) => new()
    {
        Requests = Requests - before.Requests,
        InputTokens = InputTokens - before.InputTokens,
        CacheReadTokens = CacheReadTokens - before.CacheReadTokens,
        CacheWriteTokens = CacheWriteTokens - before.CacheWriteTokens,
        TokensSaved = TokensSaved - before.TokensSaved,
        CompressionSavedUsd = CompressionSavedUsd - before.CompressionSavedUsd,
        CachingSavedUsd = CachingSavedUsd - before.CachingSavedUsd,
        BilledUsd = BilledUsd - before.BilledUsd,
        NoGatewayUsd = NoGatewayUsd - before.NoGatewayUsd,
        Retrievals = Retrievals - before.Retrievals,
        UnpricedRequests = UnpricedRequests - before.UnpricedRequests,
    };

    /// <summary>Share of the input tokens the model read that came from the provider's cache.</summary>
    public double CacheHitRate => InputTokens + CacheReadTokens + CacheWriteTokens is var all and > 0 ? (double)CacheReadTokens / all : 0;

    public static async Task<(WrapSnapshot? Snapshot, string? Error)> TakeAsync(HttpClient http, string baseUrl, string? token, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await GetAsync(http, baseUrl + "/telemetry/summary", token, cancellationToken).ConfigureAwait(false);
            var retrievals = await GetAsync(http, baseUrl + "/telemetry/retrievals", token, cancellationToken).ConfigureAwait(false);
            using var s = JsonDocument.Parse(summary);
            using var r = JsonDocument.Parse(retrievals);
            var usage = s.RootElement.GetProperty("usage");
            var cost = s.RootElement.GetProperty("cost");
            return (new WrapSnapshot
            {
                Requests = s.RootElement.GetProperty("requests").GetInt64(),
                InputTokens = usage.GetProperty("inputTokens").GetInt64(),
                CacheReadTokens = usage.GetProperty("cacheReadTokens").GetInt64(),
                CacheWriteTokens = usage.GetProperty("cacheWrite5mTokens").GetInt64() + usage.GetProperty("cacheWrite1hTokens").GetInt64(),
                TokensSaved = cost.GetProperty("tokensSaved").GetInt64(),
                CompressionSavedUsd = cost.GetProperty("compressionSavedUsd").GetDecimal(),
                CachingSavedUsd = cost.GetProperty("cachingSavedUsd").GetDecimal(),
                BilledUsd = cost.GetProperty("billedUsd").GetDecimal(),
                NoGatewayUsd = cost.GetProperty("noGatewayUsd").GetDecimal(),
                Retrievals = r.RootElement.EnumerateArray().Sum(e => e.GetProperty("retrieved").GetInt64()),
                UnpricedRequests = cost.GetProperty("unpricedRequests").GetInt64(),
            }, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, e.Message);
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string url, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"{url} answered {(int)response.StatusCode}: {body}");
    }
}
