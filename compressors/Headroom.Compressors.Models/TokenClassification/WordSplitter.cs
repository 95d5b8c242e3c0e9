using Headroom.Compressors.Text;

namespace Headroom.Compressors.Models.TokenClassification;

/// <summary>
/// Words are runs of non-whitespace. Numbers, paths, flags and identifiers are forced: a model trained
/// on meeting transcripts cannot know that <c>--no-cache</c> or <c>src/app.cs:42</c> matter.
/// </summary>
internal static class WordSplitter
{
    public static List<Word> Split(string text)
    {
        var words = new List<Word>(text.Length / 5);
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            words.Add(new Word(start, i, IsForced(text.AsSpan(start, i - start))));
        }

        return words;
    }

    public static bool IsForced(ReadOnlySpan<char> word)
    {
        var core = word.Trim("\"'()[]{}<>,;:!?`*");
        if (core.IsEmpty)
        {
            return false;
        }

        if (core.Length > 1 && core[0] == '-' && char.IsLetter(core[^1]))
        {
            return true; // a flag: -v, --no-cache
        }

        foreach (char c in core)
        {
            if (char.IsDigit(c) || c is '/' or '\\' or '=' or '_' or '@' or '#' or '$')
            {
                return true; // a number, a path, an assignment, an identifier
            }
        }

        return QueryTerms.LooksLikeIdentifier(core.TrimEnd('.'));
    }
}
