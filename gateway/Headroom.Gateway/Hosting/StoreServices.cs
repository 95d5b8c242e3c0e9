using Headroom.Gateway.Telemetry;
using Headroom.Provenance;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Hosting;

internal static class StoreServices
{
    /// <summary>The event store (embedded SQLite by default, PostgreSQL when configured) and what hangs off it.</summary>
    public static IServiceCollection AddGatewayStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var provenanceOptions = new ProvenanceOptions
            {
                SpoolDirectory = Path.Combine(options.ResolvedDataDirectory, "spool"),
                OriginalsRetention = TimeSpan.FromDays(options.RetentionDays),
            };
            // Start-up only: the host cannot serve anything useful without its store.
            return ProvenanceStore.OpenAsync(options.ResolvedStore, provenanceOptions, sp.GetRequiredService<ILoggerFactory>()).GetAwaiter().GetResult();
        });
        services.AddSingleton<IOriginalsStore>(sp => sp.GetRequiredService<ProvenanceStore>().Originals);
        services.AddSingleton<TenantResolver>();
        // Not a sink of its own: RequestAccountant hands it each request with its account, so a request is one event.
        services.AddSingleton<ProvenanceRecorder>();
        services.AddHostedService<OriginalsSweeper>();
        return services;
    }
}
