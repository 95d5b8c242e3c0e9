using Headroom.Bench.Soak;

namespace Headroom.Bench.Proxy;

/// <summary>
/// Requests whose newest tool output the gateway has never seen (the fresh-compression scenario): the
/// passthrough request's turn (<see cref="BenchPayloads"/>) with its <c>tool_result</c> replaced by a new
/// 8–20 KB output per seed. Compressible: a service log, JSON rows or grep hits by seed (the soak's
/// outputs, three compressors), distinct for every seed; not compressible: ids and digests of exactly the
/// same length. Same seed, same bytes.
/// </summary>
internal static class FreshPayloads
{
    public const int MinOutputBytes = 8 * 1024;
    public const int MaxOutputBytes = 20 * 1024;

    public static readonly string[] Kinds = ["service log", "JSON rows", "grep hits"];

    public static byte[] Request(long seed, bool compressible)
    {
        var text = BenchPayloads.Start(stream: false, MaxOutputBytes + 4 * 1024);
        var start = text.Length;
        SoakPayloads.AppendOutput(text, seed, (int)(seed % Kinds.Length), OutputBytes(seed));
        if (!compressible)
        {
            var length = text.Length - start;
            text.Length = start;
            BenchPayloads.AppendEntropy(text, new Random(unchecked((int)seed)), length);
        }

        return BenchPayloads.Finish(text);
    }

    /// <summary>The output's size for a seed, spread over 8–20 KB (a multiplicative hash, so neighbouring seeds differ).</summary>
    public static int OutputBytes(long seed) =>
        MinOutputBytes + (int)((ulong)(seed * unchecked((long)0x9E3779B97F4A7C15)) % (MaxOutputBytes - MinOutputBytes + 1));
}
