using System.Security.Cryptography;
using System.Text;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.LiveZone;

/// <summary>Keys of the decision store (replay cache): a one-letter kind, then 128 bits of SHA-256.</summary>
internal static class DecisionKeys
{
    /// <summary>By the bytes alone: the same bytes get the same decision whoever sends them.</summary>
    public static string ByContent(char kind, ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return kind + Convert.ToHexStringLower(digest[..16]);
    }

    /// <summary>By tenant and bytes: a decision one tenant's requests share only among themselves.</summary>
    public static string ByTenant(char kind, TenantId tenant, ReadOnlySpan<byte> bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(tenant.Value));
        hash.AppendData([0]);
        hash.AppendData(bytes);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return kind + Convert.ToHexStringLower(digest[..16]);
    }
}
