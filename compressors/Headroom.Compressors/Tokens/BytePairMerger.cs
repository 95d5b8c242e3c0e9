using System.Buffers;

namespace Headroom.Compressors.Tokens;

/// <summary>
/// tiktoken's byte-pair merge: repeatedly merge the adjacent pair whose concatenation has the
/// lowest rank (leftmost on ties) until no pair is in the table. Short pieces use the quadratic
/// array scan tiktoken uses; long ones (runs of '=' or spaces can be megabytes) a heap, which
/// picks the same (rank, position) minimum at every step.
/// </summary>
internal static class BytePairMerger
{
    private const int LinearLimit = 256;

    /// <summary>Appends the ranks of <paramref name="piece"/>'s tokens to <paramref name="ranks"/>
    /// (when not null) and returns how many there are.</summary>
    public static int Merge(RankTable table, ReadOnlySpan<byte> piece, List<int>? ranks)
    {
        if (piece.Length == 1)
        {
            ranks?.Add(table.Lookup(piece));
            return 1;
        }

        return piece.Length <= LinearLimit ? MergeLinear(table, piece, ranks) : MergeHeap(table, piece, ranks);
    }

    private static int MergeLinear(RankTable table, ReadOnlySpan<byte> piece, List<int>? ranks)
    {
        // parts[i] = (start of part i, rank of part i merged with part i + 1).
        Span<int> starts = stackalloc int[LinearLimit + 1];
        Span<int> pairRanks = stackalloc int[LinearLimit + 1];
        var count = piece.Length + 1;
        for (var i = 0; i < piece.Length - 1; i++)
        {
            starts[i] = i;
            pairRanks[i] = RankOrMax(table, piece.Slice(i, 2));
        }

        starts[piece.Length - 1] = piece.Length - 1;
        pairRanks[piece.Length - 1] = int.MaxValue;
        starts[piece.Length] = piece.Length;
        pairRanks[piece.Length] = int.MaxValue;

        while (true)
        {
            var min = int.MaxValue;
            var at = -1;
            for (var i = 0; i < count - 1; i++)
            {
                if (pairRanks[i] < min)
                {
                    min = pairRanks[i];
                    at = i;
                }
            }

            if (at < 0)
            {
                break;
            }

            // Remove part at + 1, then re-rank the pairs that now start at at - 1 and at.
            starts[(at + 2)..count].CopyTo(starts[(at + 1)..]);
            pairRanks[(at + 2)..count].CopyTo(pairRanks[(at + 1)..]);
            count--;
            if (at > 0)
            {
                pairRanks[at - 1] = at + 1 < count ? RankOrMax(table, piece[starts[at - 1]..starts[at + 1]]) : int.MaxValue;
            }

            pairRanks[at] = at + 2 < count ? RankOrMax(table, piece[starts[at]..starts[at + 2]]) : int.MaxValue;
        }

        if (ranks is not null)
        {
            for (var i = 0; i < count - 1; i++)
            {
                ranks.Add(table.Lookup(piece[starts[i]..starts[i + 1]]));
            }
        }

        return count - 1;
    }

    private static int MergeHeap(RankTable table, ReadOnlySpan<byte> piece, List<int>? ranks)
    {
        var n = piece.Length;
        var next = ArrayPool<int>.Shared.Rent(n + 1); // next[i] = start of the part after the part starting at i
        var prev = ArrayPool<int>.Shared.Rent(n + 1);
        var pairRank = ArrayPool<int>.Shared.Rent(n + 1);
        var version = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            var heap = new PriorityQueue<(int Start, int Version), long>(n);
            for (var i = 0; i < n; i++)
            {
                next[i] = i + 1;
                prev[i] = i - 1;
                version[i] = 0;
                pairRank[i] = i + 1 < n ? RankOrMax(table, piece.Slice(i, 2)) : int.MaxValue;
                if (pairRank[i] != int.MaxValue)
                {
                    heap.Enqueue((i, 0), Key(pairRank[i], i));
                }
            }

            var parts = n;
            while (heap.TryDequeue(out var item, out _))
            {
                var at = item.Start;
                if (version[at] != item.Version || pairRank[at] == int.MaxValue)
                {
                    continue; // stale
                }

                // Merge the part at `at` with the one after it.
                var removed = next[at];
                next[at] = next[removed];
                if (next[at] < n)
                {
                    prev[next[at]] = at;
                }

                version[removed] = -1;
                parts--;
                Rerank(table, piece, at, next, pairRank, version, heap);
                if (prev[at] >= 0)
                {
                    Rerank(table, piece, prev[at], next, pairRank, version, heap);
                }
            }

            if (ranks is not null)
            {
                for (var i = 0; i < n; i = next[i])
                {
                    ranks.Add(table.Lookup(piece[i..next[i]]));
                }
            }

            return parts;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(prev);
            ArrayPool<int>.Shared.Return(pairRank);
            ArrayPool<int>.Shared.Return(version);
        }
    }

    private static void Rerank(
        RankTable table, ReadOnlySpan<byte> piece, int start, int[] next, int[] pairRank, int[] version, PriorityQueue<(int Start, int Version), long> heap)
    {
        var n = piece.Length;
        var end = next[start];
        var after = end < n ? next[end] : n + 1;
        pairRank[start] = after <= n ? RankOrMax(table, piece[start..after]) : int.MaxValue;
        version[start]++;
        if (pairRank[start] != int.MaxValue)
        {
            heap.Enqueue((start, version[start]), Key(pairRank[start], start));
        }
    }

    private static long Key(int rank, int start) => ((long)rank << 32) | (uint)start;

    private static int RankOrMax(RankTable table, ReadOnlySpan<byte> bytes)
    {
        var rank = table.Lookup(bytes);
        return rank == RankTable.NotFound ? int.MaxValue : rank;
    }
}
