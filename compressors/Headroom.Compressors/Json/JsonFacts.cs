using System.Text.RegularExpressions;

namespace Headroom.Compressors.Json;

/// <summary>
/// What makes an item worth keeping in a small input: a number (outside ids and timestamps), a
/// path, or an identifier the query names. Identifiers of a query are its words with a digit or
/// one of <c>_ - . / :</c> inside (ids, versions, paths, URLs, hosts).
/// </summary>
internal static partial class JsonFacts
{
    public static string[] QueryIdentifiers(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? []
            : [.. IdentifierWord().Matches(query).Select(m => m.Value.TrimEnd('.', ':', '/', '-')).Where(w => w.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static bool NamesIdentifier(ReadOnlySpan<char> raw, string[] identifiers)
    {
        foreach (var id in identifiers)
        {
            if (raw.Contains(id, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when some value of <paramref name="node"/> (at any depth) carries a fact.</summary>
    public static bool CarriesFact(string source, JsonNode node, string[] identifiers)
    {
        if (NamesIdentifier(source.AsSpan(node.Start, node.End - node.Start), identifiers))
        {
            return true;
        }

        return Carries(source, node, null);
    }

    private static bool Carries(string source, JsonNode node, string? key)
    {
        switch (node.Kind)
        {
            case JsonKind.Object:
                for (var k = 0; k < node.Children.Count; k++)
                {
                    var name = node.Key(source, k);
                    if (!IdOrTimeKey().IsMatch(name) && Carries(source, node.Children[k], name))
                    {
                        return true;
                    }
                }

                return false;
            case JsonKind.Array:
                return node.Children.Any(c => Carries(source, c, key));
            case JsonKind.Number:
                return true;
            case JsonKind.String:
                var text = Timestamp().Replace(source.Substring(node.Start + 1, node.End - node.Start - 2), "");
                return text.AsSpan().IndexOfAnyInRange('0', '9') >= 0 || PathLike().IsMatch(text);
            default:
                return false;
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9_\-./:]*[0-9_\-./:][A-Za-z0-9_\-./:]*", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierWord();

    [GeneratedRegex(@"^(?:id|uuid|guid|ts|time|timestamp|date|datetime|seq|sequence|index|idx|line|created|updated|node_id|etag|sha)$|(?:_id|_at|_ts|_time|_date|_on|Id|At)$", RegexOptions.CultureInvariant)]
    private static partial Regex IdOrTimeKey();

    [GeneratedRegex(@"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?|\b[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"(?:^|[\s(""'=])(?:~|\.{1,2})?/[\w.\-]+/|\b\w+\.(?:cs|py|go|rs|js|ts|java|json|yaml|yml|toml|md|txt|log|csv|sql|sh|xml|html|cfg|conf|ini)\b|[A-Za-z]:\\", RegexOptions.CultureInvariant)]
    private static partial Regex PathLike();
}
