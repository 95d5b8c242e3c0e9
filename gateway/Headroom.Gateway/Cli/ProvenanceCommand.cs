using System.CommandLine;
using System.Text.Json;
using Headroom.Provenance;

namespace Headroom.Gateway.Cli;

/// <summary><c>headroom provenance ID</c>: where every span of a forwarded request came from (same JSON as the endpoint).</summary>
internal static class ProvenanceCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("REQUEST_ID") { Description = "The x-headroom-request-id of a proxied request." };
        var store = CliStore.Option();
        var command = new Command("provenance", "Print the provenance of one request as compact JSON.") { id, store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var provenance = await CliStore.OpenAsync(parse.GetValue(store), cancellationToken).ConfigureAwait(false);
            var requestId = parse.GetValue(id) ?? "";
            var record = string.IsNullOrEmpty(requestId) ? null : await provenance.GetRequestProvenanceAsync(requestId, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                await Console.Error.WriteLineAsync($"headroom provenance: no request '{requestId}' in {provenance.Description}.").ConfigureAwait(false);
                return 2;
            }

            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(record, ProvenanceJsonContext.Default.RequestProvenance)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
