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
/// </summary>
internal sealed class ReplayCache
{
    private const string CompressorKey = "live-zone";
    private const string VersionKey = "1";
    private readonly ICompressionCache? _persisted;
    private readonly int _generationSize;
    private ConcurrentDictionary<string, ReplayEntry> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, ReplayEntry> _previous = new(StringComparer.Ordinal);
    private readonly Lock _rotate = new();

    public ReplayCache(ICompressionCache? persisted, int generationSize = 50_000)
    {
        _persisted = persisted;
        _generationSize = generationSize;
    }

    public async ValueTask<ReplayEntry?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(key, out var hit))
        {
            return hit;
        }

        if (_previous.TryGetValue(key, out hit))
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
        else if (_current.TryGetValue(key, out var existing) || _previous.TryGetValue(key, out existing))
        {
            return existing;
        }

        Remember(key, entry);
        return entry;
    }

    private void Remember(string key, ReplayEntry entry)
    {
        _current[key] = entry;
        if (_current.Count > _generationSize)
        {
            lock (_rotate)
            {
                if (_current.Count > _generationSize)
                {
                    _previous = _current;
                    _current = new ConcurrentDictionary<string, ReplayEntry>(StringComparer.Ordinal);
                }
            }
        }
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
