using System.Security.Cryptography;
using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Hosting;

/// <summary>
/// Tenant = salted hash of the caller's API key (<c>x-api-key</c> or the bearer token), so
/// originals are scoped per key without the key ever being stored (invariant 7). The salt comes
/// from <c>Headroom:TenantSalt</c> (set the same value on every replica sharing a store), or is
/// generated once into <c>DATADIR/tenant.salt</c>.
/// </summary>
internal sealed class TenantResolver
{
    private static readonly TenantId Anonymous = TenantId.Parse("anonymous");
    private readonly byte[] _salt;

    public TenantResolver(IOptions<GatewayOptions> options)
    {
        if (options.Value.TenantSalt is { Length: > 0 } configured)
        {
            _salt = System.Text.Encoding.UTF8.GetBytes(configured);
            if (_salt.Length < 16)
            {
                throw new InvalidOperationException("Headroom:TenantSalt must be at least 16 bytes of random text (e.g. `openssl rand -hex 16`); it is too short.");
            }
        }
        else
        {
            _salt = LoadOrCreateSalt(options.Value.ResolvedDataDirectory);
        }
    }

    public TenantId Resolve(HttpRequest request)
    {
        var key = request.Headers["x-api-key"].ToString();
        if (key.Length == 0)
        {
            var auth = request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = auth[7..].Trim();
            }
        }

        return key.Length == 0 ? Anonymous : TenantId.FromApiKey(key, _salt);
    }

    /// <summary>
    /// For <c>/v1/retrieve</c>: the API key in <c>x-api-key</c>, or in the bearer token when no admin
    /// token is configured (with one, the bearer token is the admin token, not an API key).
    /// </summary>
    public TenantId ResolveForRetrieval(HttpRequest request, GatewayOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminToken) || request.Headers.ContainsKey("x-api-key"))
        {
            return Resolve(request);
        }

        var key = request.Headers["x-api-key"].ToString();
        return key.Length == 0 ? Anonymous : TenantId.FromApiKey(key, _salt);
    }

    private static byte[] LoadOrCreateSalt(string dir)
    {
        var path = Path.Combine(dir, "tenant.salt");
        try
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length >= 16)
                {
                    return existing;
                }
            }

            Directory.CreateDirectory(dir);
            var salt = RandomNumberGenerator.GetBytes(32);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(salt);
            }

            return salt;
        }
        catch (IOException)
        {
            // Another process created it first, or the home directory is read-only.
            return File.Exists(path) ? File.ReadAllBytes(path) : RandomNumberGenerator.GetBytes(32);
        }
    }
}
