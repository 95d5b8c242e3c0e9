using System.Text;

namespace Headroom.Compressors.Logs;

/// <summary>
/// Drain-style template mining. Each line is tokenised on whitespace and digit runs are masked
/// (<c>&lt;*&gt;</c>); lines with the same masked form share a template at once, and a new masked
/// form joins an existing template of the same length and first token when at least
/// <see cref="Similarity"/> of its tokens agree (the differing positions become wildcards).
/// Deterministic: templates are numbered in order of first appearance.
/// </summary>
internal sealed class TemplateMiner
{
    public const string Wildcard = "<*>";
    private const double Similarity = 0.6;
    private const int MaxGroupCandidates = 64;

    private static readonly System.Buffers.SearchValues<char> TimestampChars = System.Buffers.SearchValues.Create("0123456789-:.,/TZ+");

    private readonly Dictionary<string, LogTemplate> _byMasked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LogTemplate>> _groups = new(StringComparer.Ordinal);
    private readonly List<LogTemplate> _templates = [];

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

    public LogTemplate Add(string masked, int lineIndex)
    {
        if (_byMasked.TryGetValue(masked, out var known))
        {
            known.Count++;
            return known;
        }

        var tokens = masked.Split(' ');
        var groupKey = tokens.Length + " " + (tokens.Length > 0 ? tokens[0] : "");
        if (!_groups.TryGetValue(groupKey, out var group))
        {
            group = [];
            _groups[groupKey] = group;
        }

        LogTemplate? best = null;
        var bestScore = 0.0;
        foreach (var candidate in group.Take(MaxGroupCandidates))
        {
            var same = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (candidate.Tokens[i] == tokens[i] || candidate.Tokens[i] == Wildcard)
                {
                    same++;
                }
            }

            var score = tokens.Length == 0 ? 1 : (double)same / tokens.Length;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        if (best is not null && bestScore >= Similarity)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (best.Tokens[i] != tokens[i])
                {
                    best.Tokens[i] = Wildcard;
                }
            }

            best.Count++;
            _byMasked[masked] = best;
            return best;
        }

        var created = new LogTemplate(_templates.Count, tokens, lineIndex);
        _templates.Add(created);
        group.Add(created);
        _byMasked[masked] = created;
        return created;
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
