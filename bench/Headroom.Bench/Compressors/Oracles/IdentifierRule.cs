using System.Text.RegularExpressions;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// Identifier-like values in a log line's variable fields: tokens mixing letters and digits
/// (invoice, node, block, job and container ids), paths (a '/' or '\' with a letter) and IPv4
/// addresses. Not identifiers: pure numbers (counts, durations, pids), 0x hex values (addresses,
/// register dumps), quantities with a unit (<c>37ms</c>, <c>12KB</c>).
/// </summary>
internal static partial class IdentifierRule
{
    public const string Description = "identifier = a variable-field token mixing letters and digits, a path, or an IPv4 address; not pure numbers, 0x hex values or quantities with a unit";

    public static IEnumerable<string> InVariables(Regex? template, string content)
    {
        if (template is null)
        {
            yield break;
        }

        Match m;
        try
        {
            m = template.Match(content);
        }
        catch (RegexMatchTimeoutException)
        {
            yield break;
        }

        if (!m.Success)
        {
            yield break;
        }

        for (var g = 1; g < m.Groups.Count; g++)
        {
            foreach (var raw in m.Groups[g].Value.Split([' ', '\t', ',', ';', '=', '"', '\'', '(', ')', '[', ']', '{', '}', '<', '>'], StringSplitOptions.RemoveEmptyEntries))
            {
                var token = raw.Trim('.', ':', '!', '?');
                if (IsIdentifier(token))
                {
                    yield return token;
                }
            }
        }
    }

    public static bool IsIdentifier(string token)
    {
        if (token.Length < 2 || token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || Quantity().IsMatch(token))
        {
            return false;
        }

        if (Ipv4().IsMatch(token))
        {
            return true;
        }

        var letter = token.Any(char.IsAsciiLetter);
        return letter && (token.Any(char.IsAsciiDigit) || (token.Length >= 3 && token.IndexOfAny(['/', '\\']) >= 0));
    }

    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+)?(?:ms|s|us|ns|m|h|b|kb|mb|gb|tb|k|%|x)$", RegexOptions.IgnoreCase)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?::[0-9]+)?$")]
    private static partial Regex Ipv4();
}
