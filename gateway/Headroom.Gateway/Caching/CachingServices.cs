using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers.Anthropic;
using Headroom.Gateway.Providers.OpenAI;
using Headroom.Gateway.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Headroom.Gateway.Caching;

/// <summary>Cache stabilizer planners, forensics, money, the telemetry feed and OpenTelemetry export.</summary>
internal static class CachingServices
{
    public static IServiceCollection AddCaching(this IServiceCollection services)
    {
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => ModelPriceTable.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(CacheMinimums.Default);
        services.AddSingleton<CacheSessionStore>();

        // Planner order matters: forensics fingerprints the prefix before any cache insertion and picks the
        // TTL the breakpoint planner then uses; the OpenAI planner and volatile mover come after.
        services.AddSingleton<IRequestPlanner, CacheForensicsPlanner>();
        services.AddSingleton<IRequestPlanner, BreakpointPlanner>();
        services.AddSingleton<IRequestPlanner, OpenAICachePlanner>();
        services.AddSingleton<IRequestPlanner, VolatilePlanner>();

        services.AddSingleton<IRequestRecordSink, RequestAccountant>();
        services.AddSingleton<TelemetryFeed>();
        services.AddHostedService<OtlpExport>();
        return services;
    }
}
