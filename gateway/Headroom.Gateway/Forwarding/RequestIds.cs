using System.Security.Cryptography;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Request ids in the ULID layout: 48 bits of Unix milliseconds then 80 random bits, Crockford
/// base32, 26 chars. Ids sort by time; within one millisecond the random part is incremented so
/// ids stay strictly increasing from this process.
/// </summary>
public static class RequestIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly Lock Gate = new();
    private static long _lastMs;
    private static UInt128 _lastRandom;

    public static string Next() => Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    internal static string Next(long unixMs)
    {
        UInt128 random;
        lock (Gate)
        {
            if (unixMs <= _lastMs)
            {
                unixMs = _lastMs;
                random = ++_lastRandom & Mask80;
            }
            else
            {
                Span<byte> bytes = stackalloc byte[16];
                RandomNumberGenerator.Fill(bytes);
                // Leave headroom below 2^80 so increments within one millisecond do not wrap.
                random = new UInt128(BitConverter.ToUInt64(bytes) & 0x7FFF, BitConverter.ToUInt64(bytes[8..]));
                _lastMs = unixMs;
            }

            _lastRandom = random;
        }

        return string.Create(26, (unixMs, random), static (chars, state) =>
        {
            var (ms, rnd) = state;
            for (var i = 9; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(ms & 31)];
                ms >>= 5;
            }

            for (var i = 25; i >= 10; i--)
            {
                chars[i] = Alphabet[(int)(rnd & 31)];
                rnd >>= 5;
            }
        });
    }

    private static readonly UInt128 Mask80 = (UInt128.One << 80) - 1;
}
