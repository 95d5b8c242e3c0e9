using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Pipeline;
using Headroom.Gateway.Hosting;
using Headroom.Provenance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.LiveZone;

internal static class LiveZoneServices
{
    public static IServiceCollection AddLiveZone(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var text = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Compression.Text;
            var scorers = ProseScorers.Load(text.Resolved, text.ToModelOptions());
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Headroom.Gateway.LiveZone.ProseScorer");
            if (scorers.Status.Error is { } error)
            {
                ScorerLog.ScorerUnavailable(logger, scorers.Status.Requested, error);
            }
            else if (scorers.Status.ModelLoaded)
            {
                ScorerLog.ScorerReady(logger, scorers.Status.Active, scorers.Status.Requested, scorers.Status.LoadMs);
            }

            return scorers;
        });
        services.AddSingleton(sp =>
        {
            var compression = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Compression;
            PipelineWarmup.EnsureWarm();
            return new CompressionPipeline(sp.GetRequiredService<ProseScorers>().CreateRegistry(), options: PipelineOptions.Default with
            {
                MinChars = compression.MinChars,
                TimeBudget = TimeSpan.FromMilliseconds(compression.TimeBudgetMs),
            });
        });
        services.AddSingleton(sp => new ReplayCache(
            sp.GetRequiredService<ProvenanceStore>().CompressionCache,
            generationBytes: Math.Max(1, sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Compression.ReplayCacheMegabytes) * (1L << 20)));
        services.AddSingleton<Retrieval.RetrievalLearning>();
        services.AddHostedService(sp => sp.GetRequiredService<Retrieval.RetrievalLearning>());
        services.AddSingleton<Media.MediaWorkLimiter>();
        services.AddSingleton<IRequestPlanner, ImagePlanner>();
        services.AddSingleton<LiveCompressor>();
        services.AddSingleton<Retrieval.RetrievalLoop>();
        return services;
    }
}
