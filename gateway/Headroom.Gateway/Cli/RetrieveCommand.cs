using System.CommandLine;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.Cli;

/// <summary><c>headroom retrieve HASH</c>: print a compressed output's original, byte-identical.</summary>
internal static class RetrieveCommand
{
    public static Command Create()
    {
        var hash = new Argument<string>("HASH") { Description = "The 24-hex hash from a [headroom: ...] marker." };
        var tenant = new Option<string>("--tenant") { Description = "Tenant id the original was stored for (default: local, used by `headroom compress`; gateway tenants are shown by `headroom provenance`).", DefaultValueFactory = _ => TenantId.Local.Value };
        var store = CliStore.Option();
        var command = new Command("retrieve", "Print the original of a compressed output, byte for byte.") { hash, tenant, store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var value = parse.GetValue(hash) ?? "";
            if (!OriginalHash.IsValid(value))
            {
                await Console.Error.WriteLineAsync($"headroom retrieve: '{value}' is not a hash; use the 24 lower-case hex digits after 'hash=' in a marker.").ConfigureAwait(false);
                return 2;
            }

            await using var provenance = await CliStore.OpenAsync(parse.GetValue(store), cancellationToken).ConfigureAwait(false);
            var original = await provenance.Originals.GetAsync(TenantId.Parse(parse.GetValue(tenant) ?? TenantId.Local.Value), value, cancellationToken).ConfigureAwait(false);
            if (original is null)
            {
                await Console.Error.WriteLineAsync($"headroom retrieve: no original with hash {value} for tenant {parse.GetValue(tenant)} in {provenance.Description} (unknown, expired, or stored for another tenant).").ConfigureAwait(false);
                return 2;
            }

            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(original, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
