using System.Text.RegularExpressions;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Finds values that change between requests (dates, times, UUIDs, request ids, hex hashes, JWT-like
/// tokens) in text that sits early in the cache prefix. Any one of them changing invalidates everything
/// cached after it.
/// </summary>
internal static partial class VolatileScanner
{
    private const int MaxFindings = 20;

    public static void Scan(string where, string text, List<VolatileFinding> findings)
    {
        foreach (Match m in Pattern().Matches(text))
        {
            if (findings.Count >= MaxFindings)
            {
                return;
            }

            var kind = Kind(m);
            if (kind is null)
            {
                continue;
            }

            var value = kind == "jwt" && m.Value.Length > 24 ? m.Value[..12] + "…" + m.Value[^6..] : m.Value;
            findings.Add(new VolatileFinding(where, kind, value, m.Index));
        }
    }

    /// <summary>True when the text holds any volatile value.</summary>
    public static bool Any(string text)
    {
        foreach (Match m in Pattern().Matches(text))
        {
            if (Kind(m) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string? Kind(Match m)
    {
        if (m.Groups["jwt"].Success)
        {
            return "jwt";
        }

        if (m.Groups["uuid"].Success)
        {
            return "uuid";
        }

        if (m.Groups["date"].Success)
        {
            return "date";
        }

        if (m.Groups["time"].Success)
        {
            return "time";
        }

        if (m.Groups["reqid"].Success)
        {
            return "request_id";
        }

        // A hex run counts as a hash only with both digits and letters (not "deadbeefcafe" prose, not a number).
        var v = m.Value;
        return v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetter) ? "hex_hash" : null;
    }

    [GeneratedRegex(
        @"(?<jwt>\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})"
        + @"|(?<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)"
        + @"|(?<date>\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(?:,? \d{4})?\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b)"
        + @"|(?<time>\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\b)"
        + @"|(?<reqid>\b(?:req|request|msg|run|sess|session|trace|span|call|toolu|chatcmpl|resp)[_-][A-Za-z0-9]{8,}\b)"
        + @"|(?<hex>\b[0-9a-fA-F]{16,}\b)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        matchTimeoutMilliseconds: 200)]
    private static partial Regex Pattern();
}
