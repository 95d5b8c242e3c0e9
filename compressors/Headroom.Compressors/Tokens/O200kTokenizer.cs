using System.Buffers;
using System.Text;

namespace Headroom.Compressors.Tokens;

/// <summary>
/// Exact o200k_base tokenizer (GPT-4o / GPT-4.1 / GPT-5 / o-series), equivalent to tiktoken's
/// <c>encode_ordinary</c>: special-token text is encoded as ordinary text. Thread-safe.
/// </summary>
public sealed class O200kTokenizer
{
    private const int CacheLimit = 65_536;
    private const int CachedPieceMaxChars = 48;

    private static readonly Lazy<O200kTokenizer> LazyInstance = new(() => new O200kTokenizer(RankTable.LoadEmbedded()));

    // Multi-token pieces seen on this thread → their token count. Cleared when full.
    [ThreadStatic]
    private static Dictionary<string, int>? t_cache;

    private readonly RankTable _ranks;

    private O200kTokenizer(RankTable ranks) => _ranks = ranks;

    /// <summary>The process-wide instance (the rank table is loaded once, ~6 MB).</summary>
    public static O200kTokenizer Instance => LazyInstance.Value;

    /// <summary>Number of mergeable ranks (199,998 for o200k_base).</summary>
    public int VocabularySize => _ranks.Count;

    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CountTokens(text.AsSpan());
    }

    public int CountTokens(ReadOnlySpan<char> text)
    {
        var cache = t_cache ??= new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<byte> stack = stackalloc byte[512];
        var total = 0;
        for (var start = 0; start < text.Length;)
        {
            var end = PreTokenizer.NextEnd(text, start);
            var piece = text[start..end];
            start = end;

            var maxBytes = piece.Length * 3;
            byte[]? rented = null;
            var buffer = maxBytes <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
            try
            {
                var bytes = buffer[..Utf8(piece, buffer)];
                if (_ranks.Lookup(bytes) != RankTable.NotFound)
                {
                    total++;
                    continue;
                }

                if (piece.Length <= CachedPieceMaxChars)
                {
                    if (!lookup.TryGetValue(piece, out var n))
                    {
                        n = BytePairMerger.Merge(_ranks, bytes, null);
                        if (cache.Count >= CacheLimit)
                        {
                            cache.Clear();
                        }

                        lookup[piece] = n;
                    }

                    total += n;
                }
                else
                {
                    total += BytePairMerger.Merge(_ranks, bytes, null);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        return total;
    }

    /// <summary>Token ids of <paramref name="text"/>, as tiktoken's <c>encode_ordinary</c> returns them.</summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        var buffer = new byte[64];
        for (var start = 0; start < text.Length;)
        {
            var end = PreTokenizer.NextEnd(text, start);
            var piece = text[start..end];
            start = end;
            if (buffer.Length < piece.Length * 3)
            {
                buffer = new byte[piece.Length * 3];
            }

            var bytes = buffer.AsSpan(0, Utf8(piece, buffer));
            var rank = _ranks.Lookup(bytes);
            if (rank != RankTable.NotFound)
            {
                ids.Add(rank);
            }
            else
            {
                BytePairMerger.Merge(_ranks, bytes, ids);
            }
        }

        return [.. ids];
    }

    /// <summary>The UTF-8 bytes of the tokens, decoded (invalid sequences become U+FFFD).</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new List<byte>(ids.Length * 4);
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_ranks.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, "Not an o200k_base ordinary token id.");
            }

            bytes.AddRange(_ranks.TokenBytes(id));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Pre-tokens (the regex split before BPE), for diagnostics and tests.</summary>
    public IReadOnlyList<string> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var end = PreTokenizer.NextEnd(text, start);
            pieces.Add(text[start..end].ToString());
            start = end;
        }

        return pieces;
    }

    // ASCII is the common case: narrow without the general encoder.
    private static int Utf8(ReadOnlySpan<char> piece, Span<byte> destination)
    {
        if (Ascii.IsValid(piece))
        {
            Ascii.FromUtf16(piece, destination, out var written);
            return written;
        }

        return Encoding.UTF8.GetBytes(piece, destination);
    }
}
