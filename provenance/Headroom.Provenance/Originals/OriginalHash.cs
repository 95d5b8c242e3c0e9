using System.Security.Cryptography;

namespace Headroom.Provenance.Originals;

/// <summary>The content address of an original: the first 24 hex digits (lower case) of SHA-256 of its UTF-8 bytes.</summary>
public static class OriginalHash
{
    public const int Length = 24;

    public static string Compute(ReadOnlySpan<byte> original)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(original, digest);
        return Convert.ToHexStringLower(digest[..(Length / 2)]);
    }

    public static bool IsValid(string? hash)
    {
        if (hash is null || hash.Length != Length)
        {
            return false;
        }

        foreach (var c in hash)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
