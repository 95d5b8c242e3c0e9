using System.Globalization;
using System.Text;

namespace Headroom.Compressors.Tokens;

/// <summary>
/// A hand-written, allocation-free equivalent of the o200k_base split pattern
/// (<c>pat_str</c> in tiktoken's <c>o200k_base.json</c>):
/// <code>
/// 1  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// 2 |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// 3 |\p{N}{1,3}
/// 4 | ?[^\s\p{L}\p{N}]+[\r\n/]*
/// 5 |\s*[\r\n]+
/// 6 |\s+(?!\S)
/// 7 |\s+
/// </code>
/// It follows the backtracking regex's leftmost-first semantics alternative by alternative, and
/// works on code points (the .NET regex engine sees surrogate pairs as two chars, which would
/// mis-split emoji and supplementary letters).
/// </summary>
internal static class PreTokenizer
{
    private const CharClass PrefixExcluded = CharClass.Letter | CharClass.Number | CharClass.NewLine;
    private const CharClass PunctExcluded = CharClass.Space | CharClass.Letter | CharClass.Number;

    private static readonly CharClass[] Ascii = BuildAscii();

    /// <summary>End (exclusive, in chars) of the pre-token that starts at <paramref name="start"/>.</summary>
    public static int NextEnd(ReadOnlySpan<char> s, int start)
    {
        var c0 = Classify(s, start, out var w0);
        var prefixOk = (c0 & PrefixExcluded) == 0;

        // Alternative 1, with then without the optional prefix.
        int e;
        if (prefixOk && (e = MatchAlt1Body(s, start + w0)) > 0)
        {
            return Contraction(s, e);
        }

        if ((e = MatchAlt1Body(s, start)) > 0)
        {
            return Contraction(s, e);
        }

        // Alternative 2.
        if (prefixOk && (e = MatchAlt2Body(s, start + w0)) > 0)
        {
            return Contraction(s, e);
        }

        if ((e = MatchAlt2Body(s, start)) > 0)
        {
            return Contraction(s, e);
        }

        // Alternative 3: one to three numerals.
        if ((c0 & CharClass.Number) != 0)
        {
            e = start + w0;
            for (var n = 1; n < 3 && e < s.Length && (Classify(s, e, out var w) & CharClass.Number) != 0; n++)
            {
                e += w;
            }

            return e;
        }

        // Alternative 4: optional space, punctuation run, trailing CR/LF/slash run.
        var q = -1;
        if (s[start] == ' ' && start + 1 < s.Length && (Classify(s, start + 1, out _) & PunctExcluded) == 0)
        {
            q = start + 1;
        }
        else if ((c0 & PunctExcluded) == 0)
        {
            q = start;
        }

        if (q >= 0)
        {
            e = q;
            while (e < s.Length && (Classify(s, e, out var w) & PunctExcluded) == 0)
            {
                e += w;
            }

            while (e < s.Length && (s[e] == '\r' || s[e] == '\n' || s[e] == '/'))
            {
                e++;
            }

            return e;
        }

        // Alternatives 5-7: c0 is whitespace here (every other class matched above).
        // Every White_Space code point is in the BMP, so widths are 1.
        var end = start;
        var lastNewLine = -1;
        while (end < s.Length && (Classify(s, end, out _) & CharClass.Space) != 0)
        {
            if (s[end] == '\r' || s[end] == '\n')
            {
                lastNewLine = end;
            }

            end++;
        }

        if (lastNewLine >= 0)
        {
            return lastNewLine + 1; // 5: \s* backtracks to the last CR/LF, [\r\n]+ takes it.
        }

        if (end == s.Length || end - start < 2)
        {
            return end; // 6 at end of text, else 7.
        }

        return end - 1; // 6: leave one space to prefix the next word.
    }

    // [Upper]*[Lower]+ with backtracking: returns the end, or -1 when it cannot match.
    private static int MatchAlt1Body(ReadOnlySpan<char> s, int b)
    {
        var u = b;
        var lastLowerEnd = -1;
        while (u < s.Length)
        {
            var cls = Classify(s, u, out var w);
            if ((cls & CharClass.Upper) == 0)
            {
                break;
            }

            u += w;
            if ((cls & CharClass.Lower) != 0)
            {
                lastLowerEnd = u;
            }
        }

        if (u < s.Length && (Classify(s, u, out _) & CharClass.Lower) != 0)
        {
            var e = u;
            while (e < s.Length && (Classify(s, e, out var w) & CharClass.Lower) != 0)
            {
                e += w;
            }

            return e;
        }

        // Backtracking gives Upper* back until [Lower]+ can take the last Lower-class char.
        return lastLowerEnd;
    }

    // [Upper]+[Lower]*: returns the end, or -1.
    private static int MatchAlt2Body(ReadOnlySpan<char> s, int b)
    {
        var u = b;
        while (u < s.Length && (Classify(s, u, out var w) & CharClass.Upper) != 0)
        {
            u += w;
        }

        if (u == b)
        {
            return -1;
        }

        while (u < s.Length && (Classify(s, u, out var w) & CharClass.Lower) != 0)
        {
            u += w;
        }

        return u;
    }

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)? — case-insensitive as Unicode simple case folding does it
    // in the Rust regex crate ('s' also folds to U+017F LATIN SMALL LETTER LONG S).
    private static int Contraction(ReadOnlySpan<char> s, int e)
    {
        if (e + 1 >= s.Length || s[e] != '\'')
        {
            return e;
        }

        var a = s[e + 1];
        switch (a)
        {
            case 's' or 'S' or '\u017F' or 't' or 'T' or 'm' or 'M' or 'd' or 'D':
                return e + 2;
            case 'r' or 'R' or 'v' or 'V':
                return e + 2 < s.Length && (s[e + 2] | 0x20) == 'e' ? e + 3 : e;
            case 'l' or 'L':
                return e + 2 < s.Length && (s[e + 2] | 0x20) == 'l' ? e + 3 : e;
            default:
                return e;
        }
    }

    internal static CharClass Classify(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        if (c < 128)
        {
            width = 1;
            return Ascii[c];
        }

        Rune rune;
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            rune = new Rune(c, s[i + 1]);
            width = 2;
        }
        else if (char.IsSurrogate(c))
        {
            rune = Rune.ReplacementChar; // what the UTF-8 encoder emits for it
            width = 1;
        }
        else
        {
            rune = new Rune(c);
            width = 1;
        }

        return ClassifyRune(rune);
    }

    private static CharClass ClassifyRune(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return rune.Value is '\r' or '\n' ? CharClass.Space | CharClass.NewLine : CharClass.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => CharClass.Upper | CharClass.Letter,
            UnicodeCategory.LowercaseLetter => CharClass.Lower | CharClass.Letter,
            UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Upper | CharClass.Lower | CharClass.Letter,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharClass.Upper | CharClass.Lower,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.None,
        };
    }

    private static CharClass[] BuildAscii()
    {
        var table = new CharClass[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = ClassifyRune(new Rune(c));
        }

        return table;
    }
}
