using System.Globalization;
using System.Text;

namespace Headroom.Compressors.Logs;

/// <summary>
/// The values of a template's variable fields worth listing, and their compact listing. Listed:
/// anything that names a thing: words (user, host, state names), numbers glued to a name
/// (<c>node-246</c>, <c>inv_4121</c>, <c>alt0</c>), paths and IPv4 addresses. Not listed: plain
/// counts, ids in brackets, numbers after a key and <c>=</c> or <c>:</c> (<c>[19939]</c>, <c>uid=0</c>,
/// <c>onExtend:1514038531000</c>), durations and sizes (<c>12ms</c>), 0x register values. Values sharing
/// a prefix (and an ending) are written brace-expansion style, <c>node-{3,7..9}</c> standing for
/// node-3 node-7 node-8 node-9 and <c>p{1/p1,2/p2}.csproj</c> for p1/p1.csproj p2/p2.csproj.
/// </summary>
internal static class LogValues
{
    private static readonly System.Buffers.SearchValues<char> TimestampChars = System.Buffers.SearchValues.Create("0123456789-:.,/TZ+");

    /// <summary>A UUID or a run of at least 16 hex digits with digits and letters in it, after an optional short prefix (<c>req-</c>).</summary>
    public static bool IsRandomId(ReadOnlySpan<char> value)
    {
        int run = 0, best = 0, digits = 0, letters = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiHexDigit(c) || (c == '-' && run > 0))
            {
                run++;
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                letters += char.IsAsciiLetter(c) ? 1 : 0;
                best = Math.Max(best, run);
            }
            else
            {
                run = 0;
            }
        }

        return best >= 16 && best >= value.Length - 8 && digits > 0 && letters > 0;
    }

    /// <summary><c>10.10.34.11</c> for <c>/10.10.34.11:52264</c>: an ephemeral client port (32768 and up) names no
    /// service, the address does. Other values are returned as they are.</summary>
    public static ReadOnlySpan<char> WithoutEphemeralPort(ReadOnlySpan<char> value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 7 || value.Length - colon - 1 is < 5 or > 5 || value[(colon + 1)..].ContainsAnyExceptInRange('0', '9') || value[(colon + 1)] < '3')
        {
            return value;
        }

        var host = value[..colon].TrimStart('/');
        if (host.ContainsAnyExcept("0123456789.") || host.Count('.') != 3 || int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture) < 32768)
        {
            return value;
        }

        return host;
    }

    public static bool IsIdentifier(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || value.Contains(TemplateMiner.Wildcard, StringComparison.Ordinal))
        {
            return false;
        }

        int letters = 0, digits = 0, dots = 0;
        var slash = false;
        foreach (var c in value)
        {
            letters += char.IsLetter(c) ? 1 : 0;
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            dots += c == '.' ? 1 : 0;
            slash |= c is '/' or '\\';
        }

        if (letters == 0)
        {
            // An IPv4 address (with or without port); digits and slashes alone (2016/9/27:20:30:31.455) are a date.
            return digits > 0 && dots == 3;
        }

        if (!value.ContainsAnyExcept(TimestampChars))
        {
            return false; // 2024-01-01T00:00:01Z
        }

        if (digits == 0 || slash)
        {
            return true;
        }

        // 12ms, 3.5KB: a quantity with a unit.
        var unit = 0;
        while (unit < value.Length && char.IsLetter(value[value.Length - 1 - unit]))
        {
            unit++;
        }

        if (unit <= 3 && unit < value.Length && !value[..^unit].ContainsAnyExcept("0123456789.,"))
        {
            return false;
        }

        // uid=0, onExtend:1514038531000, Translation=-1.0: a keyed number is a quantity, not a name (host:port has a dot).
        var key = value.IndexOfAny('=', ':');
        if (key > 0 && key < value.Length - 1 && !value[..key].Contains('.') && !value[(key + 1)..].TrimStart('-').ContainsAnyExcept("0123456789.") && value[(key + 1)..].Count('.') <= 1)
        {
            return false;
        }

        if (value.IndexOfAny('.', ':') > 0)
        {
            return true; // host names and ports, versions, dotted names
        }

        // A number glued to a name (node-246, inv_4121, alt0, v2) names a thing; one in brackets or after '=' or ':' counts.
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                continue;
            }

            var before = i > 0 ? value[i - 1] : ' ';
            var after = i + 1 < value.Length ? value[i + 1] : ' ';
            if (char.IsLetter(before) || char.IsLetter(after) || (before is '-' or '_' && i > 1 && char.IsLetterOrDigit(value[i - 2]) && value[..i].ContainsAnyInRange('A', 'z')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The values without those another of them ends in after a path separator: <c>SAM</c> and
    /// <c>ntuser.dat</c> are in <c>GLOBALROOT/Device/.../config/SAM</c> and <c>.../default/ntuser.dat</c> already.
    /// </summary>
    public static List<string> WithoutPathTails(List<string> values)
    {
        var tails = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            for (var i = value.AsSpan().IndexOfAny('/', '\\'); i >= 0 && i < value.Length - 1;)
            {
                tails.Add(value[(i + 1)..]);
                var next = value.AsSpan(i + 1).IndexOfAny('/', '\\');
                i = next < 0 ? -1 : i + 1 + next;
            }
        }

        return tails.Count == 0 ? values : values.Where(v => !tails.Contains(v)).ToList();
    }

    /// <summary>
    /// Appends the values, space-separated. Values sharing a prefix of at least
    /// <see cref="MinSharedPrefix"/> characters are written once as <c>prefix{rest,rest,...}</c>;
    /// when every rest is a number, runs of three or more consecutive numbers become <c>a..b</c>.
    /// </summary>
    /// <remarks>
    /// Values that end alike (host names and ports: <c>api.github.com:443</c>, <c>apis.google.com:443</c>) are also
    /// tried as <c>{rest,rest,...}ending</c> groups, the endings starting at a separator and taken greedily by what
    /// they save; whichever listing is shorter is written. Brace lists do not nest, so a shell (or an agent) reads each
    /// group back into the values it stands for.
    /// </remarks>
    public static void AppendCompact(StringBuilder sb, IReadOnlyList<string> values)
    {
        var byPrefix = new StringBuilder();
        AppendByPrefix(byPrefix, values);
        var byEnding = new StringBuilder();
        if (!AppendByEnding(byEnding, values) || byEnding.Length >= byPrefix.Length)
        {
            sb.Append(byPrefix);
            return;
        }

        sb.Append(byEnding);
    }

    /// <summary>
    /// Groups of at least <see cref="MinEndingGroup"/> values sharing an ending of at least <see cref="MinSharedPrefix"/>
    /// characters that starts at a separator (<c>.com:443</c>, <c>:80</c>, <c>/config/SAM</c>), largest saving first;
    /// the values left over are listed by prefix. False when no ending is worth a group.
    /// </summary>
    private static bool AppendByEnding(StringBuilder sb, IReadOnlyList<string> values)
    {
        var rest = values.Distinct(StringComparer.Ordinal).Where(v => v.AsSpan().IndexOfAny(",{} ") < 0).Order(StringComparer.Ordinal).ToList();
        var groups = new List<(string Ending, List<string> Rests)>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (rest.Count >= MinEndingGroup)
        {
            counts.Clear();
            foreach (var v in rest)
            {
                for (var i = v.Length - MinSharedPrefix; i > 0; i--)
                {
                    if (IsSeparatorAt(v, i))
                    {
                        var ending = v[i..];
                        counts[ending] = counts.GetValueOrDefault(ending) + 1;
                    }
                }
            }

            string? best = null;
            var bestSaving = 0;
            foreach (var (ending, count) in counts)
            {
                // Each value loses the ending; the group costs braces and one copy of it.
                var saving = ((count - 1) * ending.Length) - 2;
                if (count >= MinEndingGroup && (saving > bestSaving || (saving == bestSaving && best is not null && string.CompareOrdinal(ending, best) < 0)))
                {
                    best = ending;
                    bestSaving = saving;
                }
            }

            if (best is null)
            {
                break;
            }

            var rests = new List<string>();
            rest.RemoveAll(v =>
            {
                if (v.Length > best.Length && v.EndsWith(best, StringComparison.Ordinal))
                {
                    rests.Add(v[..^best.Length]);
                    return true;
                }

                return false;
            });
            groups.Add((best, rests));
        }

        if (groups.Count == 0)
        {
            return false;
        }

        var others = values.Distinct(StringComparer.Ordinal).Where(v => v.AsSpan().IndexOfAny(",{} ") >= 0).Concat(rest).ToList();
        if (others.Count > 0)
        {
            AppendByPrefix(sb, others);
        }

        foreach (var (ending, rests) in groups.OrderBy(g => g.Ending, StringComparer.Ordinal))
        {
            sb.Append(sb.Length > 0 ? " " : "").Append('{');
            rests.Sort(StringComparer.Ordinal);
            AppendRests(sb, rests);
            sb.Append('}').Append(ending);
        }

        return true;
    }

    private static bool IsSeparatorAt(string v, int i) => v[i] is '.' or ':' or '/' or '\\' or '-' or '_' or '~' or '@';

    private const int MinEndingGroup = 3;

    private static void AppendByPrefix(StringBuilder sb, IReadOnlyList<string> values)
    {
        // A value with a comma or brace of its own cannot go inside a brace list: it is written as it is.
        var sorted = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var own = sorted.Where(v => v.AsSpan().IndexOfAny(",{}") >= 0).ToList();
        if (own.Count > 0)
        {
            sb.AppendJoin(' ', own);
            sorted.RemoveAll(v => v.AsSpan().IndexOfAny(",{}") >= 0);
            if (sorted.Count > 0)
            {
                sb.Append(' ');
            }
        }

        for (var i = 0; i < sorted.Count;)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            // The longest run from i whose common prefix (not cut inside a number) stays at least
            // MinSharedPrefix long and, once two values share it, does not shrink: Package_for_KB{...}
            // must not become Package_for_{KB...} to take in one more value.
            var prefix = sorted[i].Length;
            var j = i;
            while (j + 1 < sorted.Count)
            {
                var common = WholeNumberPrefix(sorted[i], CommonPrefix(sorted[i], sorted[j + 1], prefix));
                if (common < MinSharedPrefix || (j > i && common < prefix))
                {
                    break;
                }

                prefix = common;
                j++;
            }

            if (j == i)
            {
                sb.Append(sorted[i++]);
                continue;
            }

            // Do not cut inside a number: a prefix ending in digits gives them back to the rests.
            while (prefix > 0 && char.IsAsciiDigit(sorted[i][prefix - 1]))
            {
                prefix--;
            }

            if (prefix < MinSharedPrefix)
            {
                for (var k = i; k <= j; k++)
                {
                    sb.Append(k > i ? " " : "").Append(sorted[k]);
                }

                i = j + 1;
                continue;
            }

            AppendShared(sb, sorted[i][..prefix], sorted.GetRange(i, j - i + 1).Select(v => v[prefix..]).ToList());
            i = j + 1;
        }
    }

    /// <summary>
    /// <c>prefix{rest,rest}</c>, rests sharing a suffix of at least <see cref="MinSharedPrefix"/> characters
    /// written as <c>prefix{a,b}suffix</c> (<c>Package_for_{KB2479943,KB2506014}~31bf3856ad364e35~amd64~~6.1.1.0</c>).
    /// </summary>
    private static void AppendShared(StringBuilder sb, string prefix, List<string> rests)
    {
        var byEnd = rests.OrderBy(r => new string([.. r.Reverse()]), StringComparer.Ordinal).ToList();
        var single = new List<string>();
        var written = false;
        for (var i = 0; i < byEnd.Count;)
        {
            var suffix = byEnd[i].Length;
            var j = i;
            while (j + 1 < byEnd.Count)
            {
                // A run stops where the shared ending would drop to under half of what it shares so far:
                // ~31bf3856ad364e35~amd64~~6.1.1.0 must not shrink to .1.0 to take in one more value.
                var common = CommonSuffix(byEnd[i], byEnd[j + 1], suffix);
                if (common < MinSharedPrefix || (j > i && common < suffix / 2))
                {
                    break;
                }

                suffix = common;
                j++;
            }

            // Do not cut inside a number: a suffix starting with a digit that follows a digit gives the digits back.
            while (j > i && suffix > 0 && char.IsAsciiDigit(byEnd[i][^suffix]) && byEnd.Skip(i).Take(j - i + 1).Any(r => r.Length > suffix && char.IsAsciiDigit(r[^(suffix + 1)])))
            {
                suffix--;
            }

            if (j == i || suffix < MinSharedPrefix)
            {
                single.Add(byEnd[i++]);
                continue;
            }

            var cluster = byEnd.GetRange(i, j - i + 1).Select(r => r[..^suffix]).Order(StringComparer.Ordinal).ToList();
            sb.Append(written ? " " : "").Append(prefix).Append('{');
            AppendRests(sb, cluster);
            sb.Append('}').Append(byEnd[i], byEnd[i].Length - suffix, suffix);
            written = true;
            i = j + 1;
        }

        single.Sort(StringComparer.Ordinal);

        // Rests sharing a longer start of their own (Windows/System32/config/{SAM,SYSTEM,...} after
        // GLOBALROOT/Device/...) get a group of their own when that saves more than the prefix costs again.
        for (var i = 0; i < single.Count;)
        {
            var sub = single[i].Length;
            var j = i;
            while (j + 1 < single.Count)
            {
                var common = WholeNumberPrefix(single[i], CommonPrefix(single[i], single[j + 1], sub));
                if (common < MinSharedPrefix || (j > i && common < sub))
                {
                    break;
                }

                sub = common;
                j++;
            }

            if (j == i || (j - i) * sub <= prefix.Length + 2)
            {
                i++;
                continue;
            }

            sb.Append(written ? " " : "").Append(prefix).Append(single[i], 0, sub).Append('{');
            AppendRests(sb, single.GetRange(i, j - i + 1).Select(r => r[sub..]).ToList());
            sb.Append('}');
            written = true;
            single.RemoveRange(i, j - i + 1);
        }

        if (single.Count == 1)
        {
            sb.Append(written ? " " : "").Append(prefix).Append(single[0]);
        }
        else if (single.Count > 1)
        {
            sb.Append(written ? " " : "").Append(prefix).Append('{');
            AppendRests(sb, single);
            sb.Append('}');
        }
    }

    private static int WholeNumberPrefix(string value, int length)
    {
        while (length > 0 && char.IsAsciiDigit(value[length - 1]))
        {
            length--;
        }

        return length;
    }

    private static int CommonSuffix(string a, string b, int max)
    {
        var n = Math.Min(max, Math.Min(a.Length, b.Length));
        var k = 0;
        while (k < n && a[^(k + 1)] == b[^(k + 1)])
        {
            k++;
        }

        return k;
    }

    private const int MinSharedPrefix = 4;

    private static int CommonPrefix(string a, string b, int max)
    {
        var n = Math.Min(max, Math.Min(a.Length, b.Length));
        var k = 0;
        while (k < n && a[k] == b[k])
        {
            k++;
        }

        return k;
    }

    // Rests are literal; plain numbers sorted, runs of three or more consecutive ones as a..b.
    private static void AppendRests(StringBuilder sb, List<string> rests)
    {
        if (!rests.All(r => r.Length is > 0 and <= 18 && !r.AsSpan().ContainsAnyExceptInRange('0', '9') && (r.Length == 1 || r[0] != '0')))
        {
            for (var i = 0; i < rests.Count; i++)
            {
                sb.Append(i > 0 ? "," : "").Append(rests[i]);
            }

            return;
        }

        var numbers = rests.Select(r => long.Parse(r, CultureInfo.InvariantCulture)).Order().ToList();
        for (var i = 0; i < numbers.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1)
            {
                j++;
            }

            sb.Append(numbers[i].ToString(CultureInfo.InvariantCulture));
            if (j - i >= 2)
            {
                sb.Append("..").Append(numbers[j].ToString(CultureInfo.InvariantCulture));
                i = j;
            }
        }
    }
}
