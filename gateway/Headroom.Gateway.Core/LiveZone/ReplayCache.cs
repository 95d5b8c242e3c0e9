using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Headroom.Compressors.Spans;
using Headroom.Provenance.Caching;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// The compression cache as the live zone uses it: key = hash of (tenant, the tool output's JSON
/// bytes as the client sent them), value = the bytes forwarded for it the first time. Two bounded
/// in-memory generations in front of the persisted cache keep history lookups off the database,
/// and the persisted cache keeps replays byte-identical across restarts and replicas (invariant 3).
/// A generation is retired when it holds more entries or more bytes than its bound (a downscaled image
/// weighs as much as hundreds of log summaries), so the process holds at most two generations' worth;
/// what falls out is read back from the persisted cache on its next use.
/// </summary>
internal sealed class ReplayCache
{
    private const string CompressorKey = "live-zone";
    private const string VersionKey = "1";

    // Per entry beyond its bytes: the dictionary node, the record, the token array header and the key string header.
    private const int EntryOverheadBytes = 160;

    private readonly ICompressionCache? _persisted;
    private readonly int _generationEntries;
    private readonly long _generationBytes;
    private Generation _current = new();
    private Generation _previous = new();
    private readonly Lock _rotate = new();

    public ReplayCache(ICompressionCache? persisted, long generationBytes = 32L << 20, int generationEntries = 50_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generationBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(generationEntries, 1);
        _persisted = persisted;
        _generationBytes = generationBytes;
        _generationEntries = generationEntries;
    }

    /// <summary>Estimated bytes the two in-memory generations hold (never more than about twice the bound).</summary>
    public long RetainedBytes => Volatile.Read(ref _current).Bytes + Volatile.Read(ref _previous).Bytes;

    /// <summary>True when <paramref name="key"/> is answered without asking the persisted cache.</summary>
    public bool HoldsInMemory(string key) => _current.Map.ContainsKey(key) || _previous.Map.ContainsKey(key);

    public async ValueTask<ReplayEntry?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        if (_current.Map.TryGetValue(key, out var hit))
        {
            return hit;
        }

        if (_previous.Map.TryGetValue(key, out hit))
        {
            Remember(key, hit);
            return hit;
        }

        if (_persisted is null)
        {
            return null;
        }

        var stored = await _persisted.TryGetAsync(new CompressionCacheKey(key, CompressorKey, VersionKey, ""), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var entry = Decode(stored);
        Remember(key, entry);
        return entry;
    }

    /// <summary>Stores the first decision for a key; when another replica decided first, returns theirs.</summary>
    public async ValueTask<ReplayEntry> AddAsync(string key, ReplayEntry entry, CancellationToken cancellationToken)
    {
        if (_persisted is not null)
        {
            var stored = await _persisted.GetOrAddAsync(new CompressionCacheKey(key, CompressorKey, VersionKey, ""), Encode(entry), cancellationToken).ConfigureAwait(false);
            entry = Decode(stored);
        }
        else if (_current.Map.TryGetValue(key, out var existing) || _previous.Map.TryGetValue(key, out existing))
        {
            return existing;
        }

        Remember(key, entry);
        return entry;
    }

    private static long SizeOf(string key, ReplayEntry entry) =>
        EntryOverheadBytes + (2L * key.Length) + (entry.Token?.Length ?? 0) + entry.SpanBytes;

    private void Remember(string key, ReplayEntry entry)
    {
        var generation = _current;
        if (generation.Map.TryAdd(key, entry))
        {
            Interlocked.Add(ref generation.Bytes, SizeOf(key, entry));
        }

        if (generation.Map.Count > _generationEntries || Volatile.Read(ref generation.Bytes) > _generationBytes)
        {
            lock (_rotate)
            {
                if (ReferenceEquals(generation, _current))
                {
                    _previous = _current;
                    _current = new Generation();
                }
            }
        }
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<string, ReplayEntry> Map = new(StringComparer.Ordinal);
        public long Bytes;
    }

    // Stored form: [u16 meta length][meta JSON][forwarded token bytes]; the span map goes in the entry's spans.
    private static CompressionCacheEntry Encode(ReplayEntry entry)
    {
        var meta = entry.Token is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(new ReplayMeta(entry.Compressor, entry.Hash, entry.TokensBefore, entry.TokensAfter, entry.Lossy), ReplayMetaContext.Default.ReplayMeta);
        var bytes = new byte[2 + meta.Length + (entry.Token?.Length ?? 0)];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)meta.Length);
        meta.CopyTo(bytes, 2);
        entry.Token?.CopyTo(bytes, 2 + meta.Length);
        var spans = entry.Spans.Select(s => new Span(s.Kind, s.OutStart, s.OutEnd, s.SrcStart, s.SrcEnd)).ToArray();
        return new CompressionCacheEntry(bytes, spans);
    }

    private static ReplayEntry Decode(CompressionCacheEntry stored)
    {
        var bytes = stored.Output.Span;
        var metaLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var token = bytes[(2 + metaLength)..];
        if (token.IsEmpty)
        {
            return ReplayEntry.AsSent;
        }

        var meta = JsonSerializer.Deserialize(bytes.Slice(2, metaLength), ReplayMetaContext.Default.ReplayMeta)!;
        var spans = stored.Spans.Select(s => new ByteSpan(s.Kind, s.OutStart, s.OutEnd, s.SrcStart, s.SrcEnd)).ToArray();
        return new ReplayEntry(token.ToArray(), meta.Compressor, meta.Hash, meta.TokensBefore, meta.TokensAfter, meta.Lossy, spans);
    }
}
