using Headroom.Provenance.Originals;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Which (tenant, original hash) pairs this process knows the originals store holds, so a replayed
/// lossy output costs a store write only the first time a tenant presents it. A fixed table of 64-bit
/// keys (<see cref="Slots"/> of them, 1 MiB, no object per entry): a new pair takes the place of an older
/// one in its two-slot bucket, and forgetting one only costs an idempotent put. A false "held" needs another
/// pair in the same bucket with the same 64-bit key: about 1 in 10^14 per lookup.
/// </summary>
internal sealed class TenantOriginals
{
    /// <summary>Pairs the table can hold at once (two per bucket).</summary>
    public const int Slots = 1 << 17;

    private const int BucketBits = 16;

    private readonly ulong[] _slots = new ulong[Slots];

    public bool Contains(TenantId tenant, string hash)
    {
        var key = Key(tenant, hash);
        var bucket = Bucket(key);
        return Volatile.Read(ref _slots[bucket]) == key || Volatile.Read(ref _slots[bucket + 1]) == key;
    }

    public void Add(TenantId tenant, string hash)
    {
        var key = Key(tenant, hash);
        var bucket = Bucket(key);
        ref var first = ref _slots[bucket];
        ref var second = ref _slots[bucket + 1];
        if (Volatile.Read(ref first) == key || Volatile.Read(ref second) == key)
        {
            return;
        }

        // An empty slot first; else the newest pair replaces the one in the slot it last did not use.
        if (Volatile.Read(ref first) == 0)
        {
            Volatile.Write(ref first, key);
        }
        else if (Volatile.Read(ref second) == 0 || (key & 1) == 0)
        {
            Volatile.Write(ref second, key);
        }
        else
        {
            Volatile.Write(ref first, key);
        }
    }

    private static int Bucket(ulong key) => (int)(key >> (64 - BucketBits)) << 1;

    /// <summary>64 bits of the pair, never 0 (the empty slot).</summary>
    internal static ulong Key(TenantId tenant, string hash)
    {
        var key = Mix(Fnv(tenant.Value ?? "") ^ Mix(HashBits(hash)));
        return key == 0 ? 1 : key;
    }

    /// <summary>An original's hash (24 lower-case hex digits) as its 96 bits folded to 64; any other string hashed.</summary>
    internal static ulong HashBits(string hash)
    {
        if (hash.Length == 24
            && ulong.TryParse(hash.AsSpan(0, 8), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var high)
            && ulong.TryParse(hash.AsSpan(8), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var low))
        {
            return low ^ Mix(high);
        }

        return Mix(Fnv(hash));
    }

    private static ulong Fnv(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    /// <summary>SplitMix64's finaliser: every input bit moves about half the output bits.</summary>
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
