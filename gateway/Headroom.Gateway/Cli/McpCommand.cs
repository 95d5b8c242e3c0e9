using System.CommandLine;
using System.ComponentModel;
using Headroom.Gateway.LiveZone;
using Headroom.Provenance;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Headroom.Gateway.Cli;

/// <summary>
/// <c>headroom mcp</c>: a stdio MCP server exposing <c>headroom_retrieve</c>, for clients that
/// prefer to call it themselves (declare it in the client: the gateway then leaves such calls to it).
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant whose originals to serve (default: local).", DefaultValueFactory = _ => TenantId.Local.Value };
        var store = CliStore.Option();
        var command = new Command("mcp", "Serve headroom_retrieve over MCP on stdin/stdout.") { tenant, store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var provenance = await CliStore.OpenAsync(parse.GetValue(store), cancellationToken).ConfigureAwait(false);
            var builder = Host.CreateApplicationBuilder();
            // stdout carries the protocol: every log line goes to stderr.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(provenance);
            builder.Services.AddSingleton(new McpTenant(TenantId.Parse(parse.GetValue(tenant) ?? TenantId.Local.Value)));
            builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "headroom", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString() ?? "0" })
                .WithStdioServerTransport()
                .WithTools<RetrieveMcpTool>();
            using var host = builder.Build();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

internal sealed record McpTenant(TenantId Id);

[McpServerToolType]
internal sealed class RetrieveMcpTool
{
    private readonly ProvenanceStore _store;
    private readonly McpTenant _tenant;

    public RetrieveMcpTool(ProvenanceStore store, McpTenant tenant)
    {
        _store = store;
        _tenant = tenant;
    }

    [McpServerTool(Name = RetrieveTool.Name), Description(RetrieveTool.Description)]
    public async Task<string> RetrieveAsync([Description("The 24-character hex hash from the [headroom: ...] note.")] string hash, CancellationToken cancellationToken)
    {
        if (!OriginalHash.IsValid(hash))
        {
            throw new McpException("headroom_retrieve needs the 24-character hex hash from a [headroom: ...] note.");
        }

        var original = await _store.Originals.GetAsync(_tenant.Id, hash, cancellationToken).ConfigureAwait(false);
        return original is null
            ? throw new McpException($"No original is stored for hash {hash} (unknown, expired, or stored for another tenant).")
            : System.Text.Encoding.UTF8.GetString(original);
    }
}
