using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Headroom.Compressors.Markers;

/// <summary>
/// The one marker format every compressor writes, e.g.
/// <c>[headroom: 1,963 of 2,000 lines omitted (419 × "INFO GET /health 200 &lt;*&gt; ms"); full text: headroom_retrieve hash=0123456789abcdef01234567]</c>.
/// It says what was left out and how to get it, never that anything is damaged. The parser
/// accepts exactly what <see cref="Format"/> writes: canonical thousands-separated counts,
/// omitted ≤ total, a detail without brackets or line breaks, 24 lower-case hex digits.
/// Anything looser (another tool's marker, a hand-edited one) is not a marker.
/// </summary>
public static partial class MarkerFormat
{
    public const string Prefix = "[headroom: ";
    public const int MaxDetailLength = 160;

    /// <summary>Writes a marker. The detail is cleaned (brackets, quotes-breaking controls and
    /// line breaks replaced) and shortened to <see cref="MaxDetailLength"/> chars.</summary>
    public static string Format(long omitted, long total, MarkerUnit unit, string? detail, string hash)
    {
        if (omitted < 0 || total < omitted)
        {
            throw new ArgumentOutOfRangeException(nameof(omitted), $"Need 0 ≤ omitted ({omitted}) ≤ total ({total}).");
        }

        if (!ContentHash.IsValid(hash))
        {
            throw new ArgumentException("The hash must be 24 lower-case hex digits.", nameof(hash));
        }

        var sb = new StringBuilder(96);
        sb.Append(Prefix)
            .Append(omitted.ToString("N0", CultureInfo.InvariantCulture))
            .Append(" of ")
            .Append(total.ToString("N0", CultureInfo.InvariantCulture))
            .Append(unit == MarkerUnit.Lines ? " lines omitted" : " items omitted");
        var clean = CleanDetail(detail);
        if (clean.Length > 0)
        {
            sb.Append(" (").Append(clean).Append(')');
        }

        return sb.Append("; full text: headroom_retrieve hash=").Append(hash).Append(']').ToString();
    }

    /// <summary>Makes free text safe as a marker detail (also safe inside a JSON string:
    /// no quotes-escaping characters other than '"', which callers in JSON avoid).</summary>
    public static string CleanDetail(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return "";
        }

        var sb = new StringBuilder(Math.Min(detail.Length, MaxDetailLength + 1));
        foreach (var c in detail)
        {
            if (sb.Length >= MaxDetailLength)
            {
                sb.Length = MaxDetailLength - 1;
                sb.Append('…');
                break;
            }

            sb.Append(c switch
            {
                '[' => '(',
                ']' => ')',
                '\\' => '/',
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => ' ',
                _ => c,
            });
        }

        return sb.ToString().Trim();
    }

    /// <summary>True when <paramref name="text"/> is exactly one well-formed marker.</summary>
    public static bool TryParse(string text, out Marker? marker)
    {
        ArgumentNullException.ThrowIfNull(text);
        marker = null;
        var m = MarkerRegex().Match(text);
        return m.Success && m.Index == 0 && m.Length == text.Length && TryBuild(m, out marker);
    }

    /// <summary>Every well-formed marker in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<MarkerMatch> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<MarkerMatch>();
        if (!text.Contains(Prefix, StringComparison.Ordinal))
        {
            return found;
        }

        foreach (Match m in MarkerRegex().Matches(text))
        {
            if (TryBuild(m, out var marker))
            {
                found.Add(new MarkerMatch(m.Index, m.Length, marker!));
            }
        }

        return found;
    }

    private static bool TryBuild(Match m, out Marker? marker)
    {
        marker = null;
        if (!TryCount(m.Groups["omitted"].Value, out var omitted) || !TryCount(m.Groups["total"].Value, out var total) || omitted > total)
        {
            return false;
        }

        var detail = m.Groups["detail"].Success ? m.Groups["detail"].Value : null;
        if (detail is not null && (detail.Length == 0 || detail.Length > MaxDetailLength || detail != CleanDetail(detail)))
        {
            return false;
        }

        var unit = m.Groups["unit"].Value == "lines" ? MarkerUnit.Lines : MarkerUnit.Items;
        marker = new Marker(omitted, total, unit, detail, m.Groups["hash"].Value);
        return true;
    }

    // Canonical only: what "N0" writes (no leading zeros, groups of three).
    private static bool TryCount(string digits, out long value)
    {
        value = 0;
        return long.TryParse(digits, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value)
            && value.ToString("N0", CultureInfo.InvariantCulture) == digits;
    }

    [GeneratedRegex(@"\[headroom: (?<omitted>[0-9]{1,3}(?:,[0-9]{3})*) of (?<total>[0-9]{1,3}(?:,[0-9]{3})*) (?<unit>lines|items) omitted(?: \((?<detail>[^\[\]\r\n]*)\))?; full text: headroom_retrieve hash=(?<hash>[0-9a-f]{24})\]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex MarkerRegex();
}
