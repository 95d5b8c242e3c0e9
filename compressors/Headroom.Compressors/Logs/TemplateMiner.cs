using System.Text;

namespace Headroom.Compressors.Logs;

/// <summary>
/// Drain-style template mining over <see cref="LineTokens"/>. Lines with the same masked tokens
/// share a template at once; otherwise a line joins the most similar template of its group (same
/// token count, same alert class) when at least
/// <see cref="Similarity"/> (<see cref="AlertSimilarity"/> for errors and warnings) of the positions
/// after the header where either side is literal agree, and the differing positions become
/// wildcards. Wildcard positions that agree do not count as agreement, and neither does the header
/// (<see cref="HeaderLength"/>): timestamps, hosts and pids would otherwise make every pair of
/// short lines look alike. Deterministic: templates are numbered in order of first appearance.
/// </summary>
internal sealed class TemplateMiner
{
    public const string Wildcard = "<*>";
    private const int MaxGroupCandidates = 64;

    private static readonly System.Buffers.SearchValues<char> TimestampChars = System.Buffers.SearchValues.Create("0123456789-:.,/TZ+");

    private readonly Dictionary<string, LogTemplate> _byMasked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LogTemplate>> _groups = new(StringComparer.Ordinal);
    private readonly List<LogTemplate> _templates = [];

    /// <param name="similarity">Share of literal positions that must agree for a line to join a template.</param>
    /// <param name="header">Leading token positions every line shares in shape (timestamp, host, pid):
    /// they do not count towards similarity nor pick the group, as if mining the message alone.</param>
    /// <param name="alertSimilarity">The same for error and warning lines (which mine apart from the rest).</param>
    /// <param name="familySimilarity">Share of the longer literal sequence two ordinary templates must have in common, in order, to form a family (<see cref="Families"/>).</param>
    public TemplateMiner(double similarity = DefaultSimilarity, int header = 0, double alertSimilarity = DefaultAlertSimilarity, double familySimilarity = DefaultFamilySimilarity)
    {
        FamilySimilarity = familySimilarity;
        Similarity = similarity;
        AlertSimilarity = alertSimilarity;
        Header = header;
    }

    public int Header { get; }

    public const double DefaultSimilarity = 0.4;

    public const double DefaultAlertSimilarity = 0.6;

    public double Similarity { get; }

    public double AlertSimilarity { get; }

    public IReadOnlyList<LogTemplate> Templates => _templates;

    /// <summary>The masked form of a line: digits runs and hex ids replaced, whitespace collapsed.
    /// Two lines with the same masked form are the same message modulo numbers and timestamps.</summary>
    public static string Mask(ReadOnlySpan<char> line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var range in line.Trim().SplitAny(' ', '\t'))
        {
            var token = line.Trim()[range];
            if (token.IsEmpty)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            AppendMasked(sb, token);
        }

        return sb.ToString();
    }

    public LogTemplate Add(string[] tokens, int lineIndex, bool alert)
    {
        var key = (alert ? "!" : " ") + string.Join(' ', tokens);
        if (_byMasked.TryGetValue(key, out var known))
        {
            known.Lines.Add(lineIndex);
            return known;
        }

        var groupKey = string.Concat(alert ? "!" : " ", tokens.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_groups.TryGetValue(groupKey, out var group))
        {
            group = [];
            _groups[groupKey] = group;
        }

        LogTemplate? best = null;
        var bestScore = 0.0;
        foreach (var candidate in group.Take(MaxGroupCandidates))
        {
            int same = 0, literal = 0;
            for (var i = Math.Min(Header, tokens.Length); i < tokens.Length; i++)
            {
                var c = candidate.Tokens[i];
                if (c == Wildcard && tokens[i] == Wildcard)
                {
                    continue;
                }

                literal++;
                same += c == tokens[i] ? 1 : 0;
            }

            var score = literal == 0 ? 1 : (double)same / literal;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        // Alert lines need more agreement: a rare error must not hide inside a frequent one.
        if (best is not null && bestScore >= (alert ? AlertSimilarity : Similarity))
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (best.Tokens[i] != tokens[i])
                {
                    best.Tokens[i] = Wildcard;
                }
            }

            best.Lines.Add(lineIndex);
            _byMasked[key] = best;
            return best;
        }

        var created = new LogTemplate(_templates.Count, (string[])tokens.Clone(), lineIndex, alert);
        _templates.Add(created);
        group.Add(created);
        _byMasked[key] = created;
        return created;
    }

    /// <summary>
    /// The templates in families, in order of first appearance: a second pass over the fixed-length templates
    /// that joins ordinary (not alert) templates whose literal tokens after the header agree in order, whatever
    /// their token counts (<c>close, 0 bytes sent, ...</c> and <c>close, 451 bytes (1.2 KB) sent, ...</c>;
    /// <c>chrome.exe - host</c> and <c>chrome.exe *64 - host</c>). A template joins the first family whose
    /// first template shares at least <see cref="FamilySimilarity"/> of the longer literal sequence as a
    /// common subsequence (tokens holding a wildcard are variable, as in IPLoM/Brain-style merging).
    /// Alert templates join only alert templates whose literal tokens are theirs plus at most
    /// <see cref="MaxAlertInsertions"/> more (<c>QQ.exe - host error : ...</c> and <c>chrome.exe *64 - host error : ...</c>):
    /// a literal that differs (<c>Failed none</c> / <c>Failed password</c>) is a different message, and a rare error must not
    /// hide inside a frequent one.
    /// </summary>
    public List<List<LogTemplate>> Families()
    {
        var families = new List<List<LogTemplate>>(_templates.Count);
        var literals = new List<string[]>();
        var open = new List<int>();
        foreach (var t in _templates)
        {
            var own = Literals(t.Tokens);
            var joined = false;
            for (var k = open.Count - 1; k >= 0 && k >= open.Count - MaxFamilyCandidates; k--)
            {
                var first = families[open[k]][0];
                if (first.Alert != t.Alert)
                {
                    continue;
                }

                var other = literals[k];
                var longer = Math.Max(own.Length, other.Length);
                var shorter = Math.Min(own.Length, other.Length);
                var joins = t.Alert
                    ? longer - shorter <= MaxAlertInsertions && shorter > MaxAlertInsertions && CommonSubsequence(own, other) == shorter
                    : longer > 0 && shorter >= FamilySimilarity * longer && CommonSubsequence(own, other) >= FamilySimilarity * longer;
                if (joins)
                {
                    families[open[k]].Add(t);
                    joined = true;
                    break;
                }
            }

            if (!joined)
            {
                open.Add(families.Count);
                literals.Add(own);
                families.Add([t]);
            }
        }

        return families;
    }

    /// <summary>
    /// Ordinary templates that share 30% of the longer literal sequence in order form a family: one kept line and a
    /// note whose values include the other templates' literal tokens, so nothing named is lost (on loghub 0.3 saves
    /// 0.5-2 points over 0.5 with every alert message, rare alert line and identifier still kept).
    /// </summary>
    public const double DefaultFamilySimilarity = 0.3;

    public double FamilySimilarity { get; }

    /// <summary>Literal tokens an alert template may have beyond another's to join its family.</summary>
    public const int MaxAlertInsertions = 2;

    private const int MaxFamilyCandidates = 128;

    private string[] Literals(string[] tokens)
    {
        var literal = new List<string>(tokens.Length);
        for (var i = Math.Min(Header, tokens.Length); i < tokens.Length; i++)
        {
            if (!tokens[i].Contains(Wildcard, StringComparison.Ordinal))
            {
                literal.Add(tokens[i]);
            }
        }

        return [.. literal];
    }

    private static int CommonSubsequence(string[] a, string[] b)
    {
        Span<int> row = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        row.Clear();
        for (var i = 0; i < a.Length; i++)
        {
            var diagonal = 0;
            for (var j = 0; j < b.Length; j++)
            {
                var above = row[j + 1];
                row[j + 1] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? diagonal + 1 : Math.Max(above, row[j]);
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary>
    /// How many leading token positions form a header: positions where at least
    /// <see cref="HeaderConstancy"/> of the lines have the same masked token (a timestamp, a host,
    /// <c>sshd[&lt;*&gt;]:</c>), month and weekday names counting as one token; at most six.
    /// </summary>
    public static int HeaderLength(IReadOnlyList<string[]> lines)
    {
        var header = 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var p = 0; p < 6; p++)
        {
            counts.Clear();
            var total = 0;
            foreach (var tokens in lines)
            {
                if (tokens is null || tokens.Length <= p + 1)
                {
                    continue;
                }

                var key = LogTimestamp.IsDateName(tokens[p].AsSpan().Trim("[]()")) ? "<name>" : tokens[p];
                counts[key] = counts.GetValueOrDefault(key) + 1;
                total++;
            }

            if (total == 0 || counts.Values.Max() < HeaderConstancy * total)
            {
                break;
            }

            header = p + 1;
        }

        return header;
    }

    private const double HeaderConstancy = 0.8;

    /// <summary>One token's masked form (as in <see cref="Mask"/>): digit runs, timestamps and long hex ids become wildcards.</summary>
    public static string MaskToken(ReadOnlySpan<char> token)
    {
        if (!token.ContainsAnyInRange('0', '9'))
        {
            return token.ToString();
        }

        var sb = new StringBuilder(token.Length + 4);
        AppendMasked(sb, token);
        return sb.ToString();
    }

    private static void AppendMasked(StringBuilder sb, ReadOnlySpan<char> token)
    {
        // Timestamps, dates, addresses and versions (a digit, then digits and separators) are one wildcard.
        if (char.IsAsciiDigit(token[0]) && !token.ContainsAnyExcept(TimestampChars))
        {
            sb.Append(Wildcard);
            return;
        }

        // Long hex ids (commit hashes, block ids, pointers) and 0x... values are one wildcard.
        if (token.Length >= 8 && IsHex(token.StartsWith("0x") ? token[2..] : token) && token.ContainsAnyInRange('0', '9'))
        {
            sb.Append(Wildcard);
            return;
        }

        for (var i = 0; i < token.Length;)
        {
            if (char.IsAsciiDigit(token[i]))
            {
                while (i < token.Length && (char.IsAsciiDigit(token[i]) || (token[i] is '.' or ',' or ':' && i + 1 < token.Length && char.IsAsciiDigit(token[i + 1]))))
                {
                    i++;
                }

                sb.Append(Wildcard);
            }
            else
            {
                sb.Append(token[i++]);
            }
        }
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c) && c != '-')
            {
                return false;
            }
        }

        return !s.IsEmpty;
    }
}
