namespace Headroom.Gateway.Caching;

/// <summary>
/// Compares a request's prefix with the session's earlier ones and gives the verdict:
/// 1. pick the earlier request sharing the longest prefix (sub-agents of one session keep their own lineage);
/// 2. nothing shared → cold; everything the earlier request had repeated → hit, or ttl_expired past its TTL;
/// 3. else broken at the first differing level, with the cause; when the client's bytes at that level are
///    unchanged but the forwarded ones differ, the gateway broke it (gateway_caused: must never happen).
/// Pure: inputs in, notes out.
/// </summary>
internal static class CacheForensics
{
    /// <param name="systemText">Kept system texts by client hash (for the changed span), or empty.</param>
    public static void Judge(PrefixFingerprint current, IReadOnlyList<PrefixFingerprint> earlier, IReadOnlyDictionary<ulong, string> systemText, CacheNotes notes)
    {
        // 1. Best match by content (the model is judged separately: the same conversation under another model is a model change).
        PrefixFingerprint? best = null;
        var bestMatched = -1;
        for (var i = earlier.Count - 1; i >= 0; i--)
        {
            var candidate = earlier[i];
            var matched = Matched(candidate, current);
            var score = matched + (candidate.Model == current.Model ? 1 : 0);
            if (score > bestMatched)
            {
                best = candidate;
                bestMatched = score;
            }
        }

        if (best is null)
        {
            notes.Verdict = CacheVerdict.Cold;
            return;
        }

        var shared = Matched(best, current);
        var gap = (current.At - best.At).TotalSeconds;
        notes.GapSeconds = Math.Round(gap, 3);
        notes.TtlSeconds = best.TtlSeconds;
        if (shared == 0 && best.Model != current.Model)
        {
            notes.Verdict = CacheVerdict.Cold; // another model, nothing in common: a separate cache
            return;
        }

        notes.ReusablePrefixTokens = shared == 0 ? 0 : current.Entries[shared - 1].End / 4;
        if (best.Model != current.Model)
        {
            Broken(notes, "model", CacheVerdict.ModelChanged, $"{best.Model} → {current.Model}");
            notes.ReusablePrefixTokens = 0;
            return;
        }

        // 2. The whole earlier prefix repeated.
        if (shared == best.Entries.Count)
        {
            notes.Verdict = gap > best.TtlSeconds ? CacheVerdict.TtlExpired : CacheVerdict.Hit;
            if (notes.Verdict == CacheVerdict.TtlExpired)
            {
                notes.Detail = $"gap {gap:0}s > ttl {best.TtlSeconds}s";
            }

            return;
        }

        // 3. Broken at the first differing level.
        var before = best.Entries[shared];
        if (shared >= current.Entries.Count)
        {
            Broken(notes, before.Label, CacheVerdict.HistoryTruncated, $"{before.Label} is gone ({best.Entries.Count} levels before, {current.Entries.Count} now)");
            return;
        }

        var now = current.Entries[shared];
        if (now.SamePlace(before) && now.Client == before.Client && now.Forwarded != before.Forwarded)
        {
            Broken(notes, now.Label, CacheVerdict.GatewayCaused, "the client sent the same bytes; the gateway forwarded different ones");
            return;
        }

        if (now.Level == 0 || before.Level == 0)
        {
            Broken(notes, "tools", CacheVerdict.ToolsChanged, ToolsDetail(best, current));
        }
        else if (now.Kind == LiveZone.BlockKind.System || before.Kind == LiveZone.BlockKind.System)
        {
            var old = systemText.GetValueOrDefault(before.Client);
            var neu = systemText.GetValueOrDefault(now.Client);
            Broken(notes, now.Label, CacheVerdict.SystemChanged, old is not null && neu is not null ? now.Label + " " + ChangedSpan.Describe(old, neu) : now.Label + " changed");
        }
        else
        {
            Broken(notes, now.Label, CacheVerdict.MessageEdited, now.SamePlace(before) ? now.Label + " edited" : $"{before.Label} replaced by {now.Label}");
        }
    }

    /// <summary>How many leading levels of <paramref name="earlier"/> the current request repeats (client and forwarded bytes).</summary>
    private static int Matched(PrefixFingerprint earlier, PrefixFingerprint current)
    {
        var n = Math.Min(earlier.Entries.Count, current.Entries.Count);
        var i = 0;
        while (i < n && earlier.Entries[i].SamePlace(current.Entries[i]) && earlier.Entries[i].Forwarded == current.Entries[i].Forwarded)
        {
            i++;
        }

        return i;
    }

    private static void Broken(CacheNotes notes, string at, string cause, string? detail)
    {
        notes.Verdict = CacheVerdict.Broken;
        notes.BrokenAt = at;
        notes.Cause = cause;
        notes.Detail = detail;
    }

    private static string ToolsDetail(PrefixFingerprint before, PrefixFingerprint now)
    {
        var old = before.Tools.ToDictionary(t => t.Name, t => t.Hash, StringComparer.Ordinal);
        var neu = now.Tools.ToDictionary(t => t.Name, t => t.Hash, StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var (name, hash) in neu)
        {
            if (!old.TryGetValue(name, out var was))
            {
                parts.Add("added " + name);
            }
            else if (was != hash)
            {
                parts.Add("changed " + name);
            }
        }

        parts.AddRange(old.Keys.Where(k => !neu.ContainsKey(k)).Select(k => "removed " + k));
        if (parts.Count == 0)
        {
            parts.Add(before.Tools.Count == now.Tools.Count ? "tools reordered or the retrieve tool changed" : "tool list changed");
        }

        return "tools: " + string.Join(", ", parts);
    }
}
