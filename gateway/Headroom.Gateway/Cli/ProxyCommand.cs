using System.CommandLine;
using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Cli;

/// <summary><c>headroom proxy</c>: run the gateway. Flags override the Headroom configuration section.</summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1; Headroom:Host)." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 8787; Headroom:Port)." };
        var anthropic = new Option<string?>("--anthropic-upstream") { Description = "Anthropic API base URL (default https://api.anthropic.com; Headroom:Upstreams:Anthropic)." };
        var openai = new Option<string?>("--openai-upstream") { Description = "OpenAI API base URL (default https://api.openai.com; Headroom:Upstreams:OpenAI)." };
        var gemini = new Option<string?>("--gemini-upstream") { Description = "Gemini API base URL (default https://generativelanguage.googleapis.com; Headroom:Upstreams:Gemini)." };
        var store = new Option<string?>("--store") { Description = "Event store: sqlite:PATH or postgres:CONNECTION-STRING (default sqlite:DATADIR/headroom.db; Headroom:Store)." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Embedded store, spool and tenant salt folder (default ~/.headroom; Headroom:DataDirectory)." };
        var caBundle = new Option<string?>("--ca-bundle") { Description = "PEM file of extra CA certificates trusted for upstream TLS (Headroom:Upstreams:CaBundle)." };
        var command = new Command("proxy", "Run the gateway: point ANTHROPIC_BASE_URL / OPENAI_BASE_URL at it. Any Headroom:* key can be given as --Headroom:KEY=VALUE (e.g. --Headroom:Compression:Enabled=false).")
        {
            host, port, anthropic, openai, gemini, store, dataDirectory, caBundle,
        };
        // --Headroom:KEY=VALUE tokens are configuration, read by the host's command-line provider.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Put(settings, "Headroom:Host", parse.GetValue(host));
            Put(settings, "Headroom:Port", parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Put(settings, "Headroom:Upstreams:Anthropic", parse.GetValue(anthropic));
            Put(settings, "Headroom:Upstreams:OpenAI", parse.GetValue(openai));
            Put(settings, "Headroom:Upstreams:Gemini", parse.GetValue(gemini));
            Put(settings, "Headroom:Store", parse.GetValue(store));
            Put(settings, "Headroom:DataDirectory", parse.GetValue(dataDirectory));
            Put(settings, "Headroom:Upstreams:CaBundle", parse.GetValue(caBundle));
            var app = GatewayHost.Build(parse.UnmatchedTokens.ToArray(), settings);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            await Console.Out.WriteLineAsync($"headroom gateway listening on {app.BoundAddress()} (anthropic → {options.Upstreams.Anthropic}, openai → {options.Upstreams.OpenAI}, gemini → {options.Upstreams.Gemini})").ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static void Put(Dictionary<string, string?> settings, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            settings[key] = value;
        }
    }
}
