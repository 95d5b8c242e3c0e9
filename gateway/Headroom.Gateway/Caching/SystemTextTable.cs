using System.Collections.Concurrent;
using System.Text;

namespace Headroom.Gateway.Caching;

/// <summary>
/// One copy of each system text the sessions keep for change details, by the hash of its bytes: every
/// session of an agent sends the same prompt, and a copy per session was most of the session store.
/// Two generations of at most <see cref="GenerationChars"/> characters; a text that falls out stays alive
/// only while a session still refers to it, and the next session to send it decodes it again.
/// </summary>
internal sealed class SystemTextTable
{
    public const long GenerationChars = 1L << 20;

    private Generation _current = new();
    private Generation _previous = new();
    private readonly Lock _rotate = new();

    /// <summary>Characters the two generations hold.</summary>
    public long Chars => Volatile.Read(ref _current).Chars + Volatile.Read(ref _previous).Chars;

    /// <summary>The shared string for these bytes (decoded on first sight).</summary>
    public string Intern(ulong hash, ReadOnlySpan<byte> utf8)
    {
        var current = Volatile.Read(ref _current);
        if (current.Map.TryGetValue(hash, out var text))
        {
            return text;
        }

        text = Volatile.Read(ref _previous).Map.TryGetValue(hash, out var older) ? older : Encoding.UTF8.GetString(utf8);
        if (current.Map.TryAdd(hash, text) && Interlocked.Add(ref current.Chars, text.Length) > GenerationChars)
        {
            lock (_rotate)
            {
                if (ReferenceEquals(current, _current))
                {
                    Volatile.Write(ref _previous, current);
                    Volatile.Write(ref _current, new Generation());
                }
            }
        }

        return current.Map.TryGetValue(hash, out var shared) ? shared : text;
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<ulong, string> Map = new();
        public long Chars;
    }
}
