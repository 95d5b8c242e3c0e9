using System.Security.Cryptography;
using System.Text;

namespace Headroom.Provenance.Originals;

/// <summary>
/// Who owns an original: a salted hash of the caller's API key (never the key itself), or
/// <see cref="Local"/> for the CLI and keyless local use.
/// </summary>
public readonly record struct TenantId
{
    private TenantId(string value) => Value = value;

    public string Value { get; }

    public static TenantId Local { get; } = new("local");

    /// <summary>"t_" + the first 32 hex of HMAC-SHA256(salt, key): stable per key and salt, irreversible.</summary>
    public static TenantId FromApiKey(string apiKey, byte[] salt)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(salt);
        if (salt.Length < 16)
        {
            throw new ArgumentException("The tenant salt must be at least 16 random bytes.", nameof(salt));
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(apiKey), mac);
        return new TenantId("t_" + Convert.ToHexStringLower(mac[..16]));
    }

    /// <summary>Restores a tenant id previously obtained from <see cref="Value"/>.</summary>
    public static TenantId Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new TenantId(value);
    }

    public override string ToString() => Value ?? string.Empty;
}
