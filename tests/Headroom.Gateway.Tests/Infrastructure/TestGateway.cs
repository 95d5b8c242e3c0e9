using Headroom.Gateway.Hosting;
using Headroom.Gateway.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>The real gateway on a loopback port, pointed at a scripted upstream (or anywhere).</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private TestGateway(WebApplication app, string dataDirectory)
    {
        App = app;
        _dataDirectory = dataDirectory;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = app.BoundAddress() };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public Uri Address => App.BoundAddress();
    public string BaseUrl => Address.ToString().TrimEnd('/');
    public UsageLedger Ledger => App.Services.GetRequiredService<UsageLedger>();

    public static Task<TestGateway> StartAsync(ScriptedUpstream upstream, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(upstream.BaseUrl, upstream.BaseUrl, settings);

    public static async Task<TestGateway> StartAsync(string anthropicUpstream, string openAiUpstream, IReadOnlyDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "headroom-test-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Headroom:DataDirectory"] = dataDirectory,
            ["Headroom:Host"] = "127.0.0.1",
            ["Headroom:Port"] = "0",
            ["Headroom:Upstreams:Anthropic"] = anthropicUpstream,
            ["Headroom:Upstreams:OpenAI"] = openAiUpstream,
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests run in parallel on a 2-core machine: a 50 ms budget would make compression
            // outcomes depend on load. The budget itself is tested in the compressor tests.
            ["Headroom:Compression:TimeBudgetMs"] = "10000",
            // The cache planners change bytes on purpose; the tests that use this host check
            // passthrough and compression, so they run without them. The planners have their own
            // tests (Caching/CacheTestHost turns them on).
            ["Headroom:Caching:Breakpoints"] = "false",
            ["Headroom:Caching:PromptCacheKey"] = "false",
            ["Headroom:Caching:IncludeUsage"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var app = GatewayHost.Build(settings: all, services: services);
        await app.StartAsync();
        return new TestGateway(app, dataDirectory);
    }

    /// <summary>Records reach the ledger when the handler finishes, just after the client has the last byte.</summary>
    public async Task<RequestRecord> WaitForRecordAsync(string requestId)
    {
        for (var i = 0; i < 200; i++)
        {
            var match = Ledger.Snapshot().Recent.FirstOrDefault(r => r.RequestId == requestId);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"no telemetry record for request {requestId}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_dataDirectory.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
