using System.CommandLine;
using Headroom.Gateway.Hosting;
using Headroom.Provenance;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Cli;

/// <summary>The store the CLI reads: <c>--store</c>, else the Headroom configuration (HEADROOM__STORE, appsettings), else the embedded default.</summary>
internal static class CliStore
{
    public static Option<string?> Option() => new("--store") { Description = "sqlite:PATH or postgres:CONNECTION STRING (default: Headroom:Store, else sqlite:~/.headroom/headroom.db)." };

    public static GatewayOptions Options()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
    }

    public static Task<ProvenanceStore> OpenAsync(string? store, CancellationToken cancellationToken)
    {
        var options = Options();
        var spec = string.IsNullOrWhiteSpace(store) ? options.ResolvedStore : store;
        return ProvenanceStore.OpenAsync(spec, new ProvenanceOptions
        {
            SpoolDirectory = Path.Combine(options.ResolvedDataDirectory, "spool"),
            RunAsyncProjections = false,
        }, cancellationToken: cancellationToken);
    }
}
