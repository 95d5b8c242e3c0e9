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
        // Every pattern holds a digit, so only windows around digits (widened to whitespace) are matched:
        // prose costs a vectorised digit search instead of a regex attempt at every letter.
        var at = 0;
        while (at < text.Length && findings.Count < MaxFindings)
        {
            var digit = text.AsSpan(at).IndexOfAnyInRange('0', '9');
            if (digit < 0)
            {
                return;
            }

            digit += at;
            var start = WidenLeft(text, Math.Max(at, digit - Reach));
            var end = WidenRight(text, Math.Min(text.Length, digit + Reach));
            while (end < text.Length && end - start < MaxWindow)
            {
                // Merge the next digit's window when it overlaps this one, up to MaxWindow.
                var next = text.AsSpan(end).IndexOfAnyInRange('0', '9');
                if (next < 0 || next > Reach)
                {
                    break;
                }

                end = WidenRight(text, Math.Min(text.Length, end + next + Reach));
            }

            var window = text.AsSpan(start, end - start);
            foreach (var m in Pattern().EnumerateMatches(window))
            {
                var value = window.Slice(m.Index, m.Length).ToString();
                if (findings.Count < MaxFindings && Kind(value) is { } kind)
                {
                    findings.Add(new VolatileFinding(where, kind, kind == "jwt" && value.Length > 24 ? value[..12] + "…" + value[^6..] : value, start + m.Index));
                }
            }

            at = end;
        }
    }

    private const int Reach = 48;

    // Windows merge across digits, so without a cap one could be a whole hostile prompt; the patterns have no
    // nested quantifiers, so a window costs at most quadratic in its length, and a capped window bounds the scan.
    private const int MaxWindow = 2048;

    private static int WidenLeft(string text, int i)
    {
        var limit = Math.Max(0, i - 512);
        while (i > limit && !char.IsWhiteSpace(text[i - 1]) && text[i - 1] is not ('"' or ','))
        {
            i--;
        }

        return i;
    }

    private static int WidenRight(string text, int i)
    {
        var limit = Math.Min(text.Length, i + 512);
        while (i < limit && !char.IsWhiteSpace(text[i]) && text[i] is not ('"' or ','))
        {
            i++;
        }

        return i;
    }

    public static bool Any(string text)
    {
        var findings = new List<VolatileFinding>();
        Scan("", text, findings);
        return findings.Count > 0;
    }

    /// <summary>Which pattern matched (the whole match is re-tested against each, in the pattern's order).</summary>
    private static string? Kind(string v)
    {
        if (Jwt().IsMatch(v))
        {
            return "jwt";
        }

        if (Uuid().IsMatch(v))
        {
            return "uuid";
        }

        if (Date().IsMatch(v))
        {
            return "date";
        }

        if (Time().IsMatch(v))
        {
            return "time";
        }

        if (RequestId().IsMatch(v))
        {
            return "request_id";
        }

        // A hex run counts as a hash only with both digits and letters (not "deadbeefcafe" prose, not a number).
        return v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetter) ? "hex_hash" : null;
    }

    private const string JwtPattern = @"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}";
    private const string UuidPattern = @"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b";
    private const string DatePattern = @"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(?:,? \d{4})?\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b";
    private const string TimePattern = @"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\b";
    private const string RequestIdPattern = @"\b(?:req|request|msg|run|sess|session|trace|span|call|toolu|chatcmpl|resp)[_-][A-Za-z0-9]{8,}\b";

    [GeneratedRegex("^(?:" + JwtPattern + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex("^(?:" + UuidPattern + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();

    [GeneratedRegex("^(?:" + DatePattern + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex Date();

    [GeneratedRegex("^(?:" + TimePattern + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex Time();

    [GeneratedRegex("^(?:" + RequestIdPattern + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestId();

    // No match timeout: a timeout is read from the wall clock, so under load the same system prompt would scan
    // differently (and a thrown timeout used to fail the request's whole live zone). Capped windows bound the work.
    // (NonBacktracking would bound it too, but its automaton caches hold ~4 MB for the life of the process.)
    [GeneratedRegex(
        JwtPattern + "|" + UuidPattern + "|" + DatePattern + "|" + TimePattern + "|" + RequestIdPattern + @"|\b[0-9a-fA-F]{16,}\b",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
