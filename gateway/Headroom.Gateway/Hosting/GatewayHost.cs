using System.Diagnostics;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Dashboard;
using Headroom.Gateway.Forwarding;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Media;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance;
using Headroom.Gateway.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Headroom.Gateway.Hosting;

/// <summary>Builds the gateway web application; used by <c>headroom proxy</c>, the tests and the benchmarks.</summary>
public static class GatewayHost
{
    /// <summary>The runtime's own meter (GC, thread pool, working set), exported on /metrics.</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>Series per metric of the runtime meter (its tags: GC generation, CPU mode, exception type).</summary>
    public const int RuntimeCardinalityLimit = 64;

    /// <summary>Series per metric of the gateway's meter (its tags: provider, model, compressor, cause, token type).</summary>
    public const int GatewayCardinalityLimit = 500;

    /// <param name="args">Command-line style configuration (e.g. <c>--Headroom:Port=0</c>).</param>
    /// <param name="settings">Configuration that overrides everything else (CLI flags, tests).</param>
    public static WebApplication Build(string[]? args = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // appsettings.json is read at start, not watched: the watcher is a FileSystemWatcher over the content
        // root and all its subdirectories (the working directory: a checkout with bin/ and obj/ is thousands
        // of inotify watches and a dictionary entry each). Settings given later on the command line still win.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args ?? []] });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // No per-request hosting diagnostics: with it off, ASP.NET Core skips an Activity per request.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The gateway enforces its own limit (Headroom:MaxBodyBytes) with a provider-shaped 413.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");

        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<UpstreamInvoker>();
        builder.Services.AddSingleton<ProxyHandler>();
        builder.Services.AddSingleton<UsageLedger>();
        builder.Services.AddSingleton<IRequestRecordSink>(sp => sp.GetRequiredService<UsageLedger>());
        builder.Services.AddGatewayStore();
        builder.Services.AddLiveZone();
        builder.Services.AddCaching(); // cache planners, forensics, money, telemetry feed, OpenTelemetry
        // /metrics in Prometheus exposition: the Headroom.Gateway meter (GenAI histograms, savings by
        // compressor, cache verdicts by cause, retrievals, the provenance writer's spool and backlog) and
        // System.Runtime: the runtime's own meter (GC heap and committed bytes, working set, thread pool), so
        // a long run's memory can be watched from outside without a diagnostics tool.
        // Cardinality limits: the SDK allocates every metric's points up front (2,000 by default, ~70 B each), and
        // no instrument here has a tag set that large (no ids as tags); past the limit points go to the overflow series.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayInstrumentation.Name, RuntimeMeter)
            .AddView(instrument => new MetricStreamConfiguration { CardinalityLimit = instrument.Meter.Name == RuntimeMeter ? RuntimeCardinalityLimit : GatewayCardinalityLimit })
            .AddPrometheusExporter());
        builder.Services.AddHostedService<NativeHeapTrimmer>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        // Open (and migrate) the store now, so a bad Headroom:Store fails at start, not on a request.
        app.Services.GetRequiredService<ProvenanceStore>();
        app.Services.GetRequiredService<TenantResolver>();
        app.Services.GetRequiredService<LiveCompressor>();
        var started = Stopwatch.GetTimestamp();
        var version = InformationalVersion();

        app.MapGet("/healthz", (IOptions<GatewayOptions> o, ProvenanceStore store, Headroom.Compressors.Models.Setup.ProseScorers scorers) =>
        {
            var writer = store.Writer.Stats;
            var scorer = scorers.Status;
            return Results.Json(
                new HealthStatus(writer.Degraded || writer.AtRisk > 0 ? "degraded" : "ok", version, Stopwatch.GetElapsedTime(started).TotalSeconds, o.Value.Upstreams.Anthropic, o.Value.Upstreams.OpenAI,
                    new HealthStore(writer.StoreAvailable, writer.SpoolPending, writer.SpoolBytes, writer.AtRisk, writer.Restarts))
                {
                    Scorer = new HealthScorer(scorer.Requested, scorer.Active, scorer.ModelLoaded, scorer.Error),
                    GeminiUpstream = o.Value.Upstreams.Gemini,
                },
                GatewayJsonContext.Default.HealthStatus);
        });
        var gatewayOptions = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var provenanceStore = app.Services.GetRequiredService<ProvenanceStore>();
        GatewayInstrumentation.ObserveWriter(() => provenanceStore.Writer.Stats);
        // /metrics follows the admin rules of the other admin endpoints. Not an async lambda: every request
        // passes here, and the usual answer is the next middleware's own task.
        app.Use(next => context =>
            context.Request.Path.Equals("/metrics", StringComparison.OrdinalIgnoreCase) && !AdminGate.IsAllowed(context, gatewayOptions)
                ? AdminGate.Denied(gatewayOptions).ExecuteAsync(context)
                : next(context));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapTelemetryEndpoints();
        app.MapProvenanceEndpoints();
        app.MapMediaEndpoints();
        app.MapDashboard(); // /dashboard: the page reads the admin endpoints above from the browser

        // Everything else is provider traffic.
        var proxy = app.Services.GetRequiredService<ProxyHandler>();
        app.Map("/{**path}", proxy.HandleAsync);
        return app;
    }

    /// <summary>The address Kestrel actually bound (useful with port 0).</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new Uri(addresses?.Addresses.FirstOrDefault() ?? throw new InvalidOperationException("The gateway is not listening yet: call StartAsync first."));
    }

    private static string FormatHost(string host) =>
        host is "0.0.0.0" or "*" or "+" ? "0.0.0.0" : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    /// <summary>
    /// The informational version, a constant written at build time (the WriteGatewayBuildInfo target). Read back
    /// at run time it costs assemblies the gateway has no other use for: <c>FileVersionInfo</c> loads
    /// System.Reflection.Metadata and System.Collections.Immutable (2.2 MB resident), and
    /// <c>Assembly.GetCustomAttribute</c> resolves the type of every assembly attribute, including the one the
    /// Marten packages' source generator stamps from JasperFx.Events, so the embedded default would load JasperFx.
    /// </summary>
    private static string InformationalVersion() => GatewayBuildInfo.InformationalVersion;
}
