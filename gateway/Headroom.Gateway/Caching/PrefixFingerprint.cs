using System.IO.Hashing;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Caching;

/// <summary>
/// A request's prefix in provider cache order (model, tools, system, then every message block), each
/// level hashed twice: as the client sent it and as the gateway forwards it. Comparing the two across
/// requests separates client-caused cache breaks from gateway-caused ones. The hashes are 64-bit XXH3:
/// they are compared only within this process (fingerprints are never stored), so they need no
/// cryptographic strength, and SHA-256 through OpenSSL cost ~1 µs per block in calls alone.
/// </summary>
internal sealed class PrefixFingerprint
{
    /// <summary>Raw system text is kept (up to this many bytes per block) to name the changed span.</summary>
    public const int MaxKeptBytes = 32 * 1024;

    public required string Model { get; init; }
    public required IReadOnlyList<PrefixEntry> Entries { get; init; }

    /// <summary>Client hash of each tool definition, by index, with its name.</summary>
    public required IReadOnlyList<(string Name, ulong Hash)> Tools { get; init; }

    /// <summary>Where each system entry sits in this request's body (client hash → range), to keep its text for change details.</summary>
    public required IReadOnlyDictionary<ulong, (int Start, int End)> SystemRanges { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>How long the provider keeps this prefix (the TTL it was cached under).</summary>
    public int TtlSeconds { get; set; } = 300;

    public static PrefixFingerprint Build(ReadOnlySpan<byte> body, RequestShape shape, IReadOnlyList<Splice> splices, DateTimeOffset at)
    {
        var sorted = splices.Count == 0 ? [] : splices.OrderBy(s => s.Start).ThenBy(s => s.End).ToArray();
        var entries = new List<PrefixEntry>(shape.Blocks.Count + 1);
        var tools = new List<(string, ulong)>();
        var system = new Dictionary<ulong, (int, int)>();
        if (shape.Tools is { } t)
        {
            var client = Hash(body[t.Start..t.End]);
            entries.Add(new PrefixEntry(0, -1, 0, -1, client, Forwarded(body, t.Start, t.End, sorted) ?? client, t.End, BlockKind.ToolDefinition));
        }

        var systemIndex = 0;
        var blocks = shape.Blocks;
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Kind == BlockKind.ToolDefinition)
            {
                tools.Add((b.ToolName ?? "", Hash(body[b.Start..b.End])));
            }
            else if (b.Message < 0 && b.Kind == BlockKind.System)
            {
                var client = Hash(body[b.Start..b.End]);
                entries.Add(new PrefixEntry(1, -1, systemIndex++, -1, client, Forwarded(body, b.Start, b.End, sorted) ?? client, b.End, b.Kind));
                system[client] = (b.Start, b.End);
            }
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Message < 0)
            {
                continue;
            }

            var hash = Hash(body[b.Start..b.End]);
            entries.Add(new PrefixEntry(2, b.Message, b.Block, b.Part, hash, Forwarded(body, b.Start, b.End, sorted) ?? hash, b.End, b.Kind));
            if (b.Kind == BlockKind.System && b.IsString)
            {
                // Chat/Responses system or developer messages live among the messages.
                system[hash] = (b.Start, b.End);
            }
        }

        return new PrefixFingerprint { Model = shape.Model ?? "", Entries = entries, Tools = tools, SystemRanges = system, At = at };
    }

    /// <summary>Hash of [start, end) with the splices that fall inside it applied; null when none does (same as the client's).</summary>
    private static ulong? Forwarded(ReadOnlySpan<byte> body, int start, int end, Splice[] sorted)
    {
        XxHash3? hash = null;
        var from = start;
        foreach (var s in sorted)
        {
            if (s.Start < start || s.End > end || (s.Start == end && s.End == end))
            {
                continue;
            }

            hash ??= new XxHash3();
            hash.Append(body[from..s.Start]);
            hash.Append(s.Replacement.Span);
            from = s.End;
        }

        if (hash is null)
        {
            return null;
        }

        hash.Append(body[from..end]);
        return hash.GetCurrentHashAsUInt64();
    }

    public static ulong Hash(ReadOnlySpan<byte> bytes) => XxHash3.HashToUInt64(bytes);
}
