using System.Text;
using System.Text.Json;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>The real gateway on loopback with a fake clock, a chosen data directory (restarts) and a scripted upstream.</summary>
public sealed class CacheTestHost : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private CacheTestHost(WebApplication app, string dataDirectory, bool ownsDirectory, FakeClock clock)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Clock = clock;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = app.BoundAddress() };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public FakeClock Clock { get; }
    public string DataDirectory { get; }
    public UsageLedger Ledger => App.Services.GetRequiredService<UsageLedger>();

    public static async Task<CacheTestHost> StartAsync(ScriptedUpstream upstream, IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null, FakeClock? clock = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "headroom-cache-test-" + Guid.NewGuid().ToString("N"));
        clock ??= new FakeClock();
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Headroom:DataDirectory"] = dataDirectory,
            ["Headroom:Host"] = "127.0.0.1",
            ["Headroom:Port"] = "0",
            ["Headroom:Upstreams:Anthropic"] = upstream.BaseUrl,
            ["Headroom:Upstreams:OpenAI"] = upstream.BaseUrl,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Headroom:Compression:TimeBudgetMs"] = "10000",
            ["Headroom:Caching:Breakpoints"] = "true",
            ["Headroom:Caching:PromptCacheKey"] = "true",
            ["Headroom:Caching:IncludeUsage"] = "true",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var app = GatewayHost.Build(settings: all, services: s => s.AddSingleton<TimeProvider>(clock));
        await app.StartAsync();
        return new CacheTestHost(app, dataDirectory, owns, clock);
    }

    /// <summary>POSTs a JSON body; returns the response text and the gateway's request id.</summary>
    public async Task<(string Body, string RequestId, HttpResponseMessage Response)> PostAsync(string path, string json, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-headroom-session-id", session);
        request.Headers.Add("x-api-key", "sk-test-key");
        request.Headers.Add("authorization", "Bearer sk-test-key");
        var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (body, response.Headers.GetValues("x-headroom-request-id").Single(), response);
    }

    public async Task<RequestRecord> RecordAsync(string requestId)
    {
        for (var i = 0; i < 500; i++)
        {
            if (Ledger.Snapshot().Recent.FirstOrDefault(r => r.RequestId == requestId) is { } match)
            {
                return match;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"no record for {requestId}");
    }

    public static CacheNotes Notes(RequestRecord record) => CacheNotes.From(record.Live?.Annotations) ?? throw new InvalidOperationException("no cache notes on " + record.RequestId);

    /// <summary>Reads the feed (long-polling) until it holds <paramref name="count"/> lines after <paramref name="after"/>.</summary>
    public async Task<List<JsonElement>> FeedAsync(int count, long after = 0)
    {
        var lines = new List<JsonElement>();
        var cursor = after;
        for (var i = 0; i < 20 && lines.Count < count; i++)
        {
            var text = await Client.GetStringAsync($"/telemetry/feed?after={cursor}&limit={count - lines.Count}&wait=5");
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var element = JsonDocument.Parse(line).RootElement.Clone();
                lines.Add(element);
                cursor = element.GetProperty("cursor").GetInt64();
            }
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
