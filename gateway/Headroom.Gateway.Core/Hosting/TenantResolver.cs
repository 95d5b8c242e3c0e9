using System.Security.Cryptography;
using Headroom.Provenance.Originals;
using Headroom.Gateway.LiveZone;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Hosting;

/// <summary>
/// Tenant = salted hash of the caller's API key (<c>x-api-key</c> or the bearer token), so
/// originals are scoped per key without the key ever being stored (invariant 7). The salt comes
/// from <c>Headroom:TenantSalt</c> (set the same value on every replica sharing a store), or is
/// generated once into <c>DATADIR/tenant.salt</c>. A caller with no key at all is scoped by its
/// conversation (<see cref="ForKeylessSession"/>), so keyless callers do not share one tenant.
/// </summary>
internal sealed class TenantResolver
{
    private const string KeylessPrefix = "k_";
    private static readonly TenantId Anonymous = TenantId.Parse("anonymous");
    private readonly byte[] _salt;

    /// <summary>Recently hashed keys (direct-mapped by the key's hash code): most traffic repeats a few keys,
    /// and an HMAC per request is a visible share of a forwarded request's CPU. A slot holds one exact
    /// key, compared ordinally, so a hit is the same tenant the HMAC would give; in memory only.</summary>
    private readonly KnownKey?[] _known = new KnownKey?[64];

    private sealed record KnownKey(string Key, TenantId Tenant);

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

    /// <summary>True for the tenant of a request that carried no key.</summary>
    public static bool IsKeyless(TenantId tenant) => tenant == Anonymous;

    public TenantId Resolve(IRequestHeaders headers, string? queryKey)
    {
        // Anthropic's x-api-key, Azure OpenAI's api-key, Gemini's x-goog-api-key, a bearer token, Gemini's ?key=.
        var key = headers["x-api-key"];
        if (key.Length == 0)
        {
            key = headers["api-key"];
        }

        if (key.Length == 0)
        {
            key = headers["x-goog-api-key"];
        }

        if (key.Length == 0)
        {
            var auth = headers["Authorization"];
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = auth[7..].Trim();
            }
        }

        if (key.Length == 0 && queryKey is { Length: > 0 })
        {
            key = queryKey; // Gemini's ?key= form
        }

        return key.Length == 0 ? Anonymous : FromKey(key);
    }

    private TenantId FromKey(string key)
    {
        var slot = (key.GetHashCode() & int.MaxValue) % _known.Length;
        if (Volatile.Read(ref _known[slot]) is { } known && string.Equals(known.Key, key, StringComparison.Ordinal))
        {
            return known.Tenant;
        }

        var tenant = TenantId.FromApiKey(key, _salt);
        Volatile.Write(ref _known[slot], new KnownKey(key, tenant));
        return tenant;
    }

    /// <summary>
    /// The tenant of a keyless caller's conversation: its originals are readable inside that conversation
    /// (the retrieval loop) and by the admin, never by another keyless caller.
    /// </summary>
    public TenantId ForKeylessSession(string session) => TenantId.Parse(KeylessPrefix + TenantId.FromApiKey("keyless-session:" + session, _salt).Value[2..]);

    /// <summary>True for a tenant made by <see cref="ForKeylessSession"/> ("k_" + 32 hex; keyed tenants are "t_").</summary>
    public static bool IsKeylessConversation(string? tenant) => tenant is not null && tenant.StartsWith(KeylessPrefix, StringComparison.Ordinal);

    /// <summary>
    /// <c>/v1/retrieve</c> for a caller without a key: the conversation named by <c>x-headroom-session-id</c>
    /// (the session id the feed and provenance show), else the shared keyless tenant, which holds nothing new.
    /// </summary>
    public TenantId ResolveKeylessRetrieval(IRequestHeaders headers, TenantId resolved) =>
        IsKeyless(resolved) && headers["x-headroom-session-id"] is { Length: > 0 and <= 200 } session
            ? ForKeylessSession(session)
            : resolved;

    /// <summary>
    /// For <c>/v1/retrieve</c>: the API key in <c>x-api-key</c>, or in the bearer token when no admin
    /// token is configured (with one, the bearer token is the admin token, not an API key).
    /// </summary>
    public TenantId ResolveForRetrieval(IRequestHeaders headers, string? queryKey, GatewayOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminToken) || headers.Contains("x-api-key"))
        {
            return Resolve(headers, queryKey);
        }

        var key = headers["x-api-key"];
        return key.Length == 0 ? Anonymous : FromKey(key);
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
