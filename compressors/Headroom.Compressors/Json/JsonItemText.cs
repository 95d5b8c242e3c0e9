using System.Text;

namespace Headroom.Compressors.Json;

/// <summary>An item as words for a relevance ranker: <c>key value; key value; ...</c> over its leaves
/// (string values without quotes), values of several words (titles, descriptions) first so that a model
/// reading only the first few dozen word pieces sees them before ids and URLs; cut at <see cref="MaxChars"/>.</summary>
internal static class JsonItemText
{
    public const int MaxChars = 600;

    public static string Of(string source, JsonNode item)
    {
        var text = new StringBuilder(Math.Min(MaxChars, item.End - item.Start));
        Append(source, item, null, text, wordy: true);
        Append(source, item, null, text, wordy: false);
        return text.Length > MaxChars ? text.ToString(0, MaxChars) : text.ToString();
    }

    private static void Append(string source, JsonNode node, string? key, StringBuilder text, bool wordy)
    {
        if (text.Length >= MaxChars)
        {
            return;
        }

        switch (node.Kind)
        {
            case JsonKind.Object:
                for (var i = 0; i < node.Children.Count; i++)
                {
                    Append(source, node.Children[i], node.Key(source, i), text, wordy);
                }

                break;
            case JsonKind.Array:
                foreach (var child in node.Children)
                {
                    Append(source, child, key, text, wordy);
                }

                break;
            case JsonKind.String:
                if (node.End - node.Start > 2 && wordy == source.AsSpan(node.Start, node.End - node.Start).Contains(' '))
                {
                    text.Append(key).Append(' ').Append(source, node.Start + 1, node.End - node.Start - 2).Append("; ");
                }

                break;
            default:
                if (wordy)
                {
                    break;
                }

                text.Append(key).Append(' ').Append(source, node.Start, node.End - node.Start).Append("; ");
                break;
        }
    }
}
