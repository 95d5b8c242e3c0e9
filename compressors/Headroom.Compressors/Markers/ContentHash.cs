using System.Security.Cryptography;
using System.Text;

namespace Headroom.Compressors.Markers;

/// <summary>The hash that names an original: first 24 hex digits (lower case) of the SHA-256 of its UTF-8 bytes.</summary>
public static class ContentHash
{
    public const int Length = 24;

    public static string Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Compute(Encoding.UTF8.GetBytes(text));
    }

    public static string Compute(ReadOnlySpan<byte> utf8)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, digest);
        return Convert.ToHexStringLower(digest[..(Length / 2)]);
    }

    public static bool IsValid(ReadOnlySpan<char> hash)
    {
        if (hash.Length != Length)
        {
            return false;
        }

        foreach (var c in hash)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
            {
                return false;
            }
        }

        return true;
    }
}
