namespace Headroom.Compressors.Code;

/// <summary>
/// Lexer for brace languages (JavaScript/TypeScript, Java, Go, Rust, C/C++, Kotlin, Swift) whose
/// only job is to make braces trustworthy: it returns a copy of the source in which every comment,
/// string, char literal, template literal, regex literal, raw string and preprocessor line is
/// blanked to spaces (newlines kept), so the remaining <c>{ } ( ) ; ,</c> are real code.
/// </summary>
internal sealed class BraceLexer
{
    private readonly string _s;
    private readonly char[] _b;
    private readonly CodeLanguage _lang;
    private char _lastSig = '\0';
    private int _lastWordEnd = -1;
    private int _lastWordStart = -1;
    private readonly List<(int Start, int End)> _comments = [];
    private readonly List<(int Start, int End, bool HasHoles)> _literals = [];

    private BraceLexer(string source, CodeLanguage language)
    {
        _s = source;
        _b = source.ToCharArray();
        _lang = language;
    }

    private bool IsJs => _lang is CodeLanguage.JavaScript or CodeLanguage.TypeScript;

    public static char[] Blank(string source, CodeLanguage language) => Lex(source, language).Blank;

    /// <summary>The blanked text plus the ranges of every comment, in order.</summary>
    public static (char[] Blank, List<(int Start, int End)> Comments) Lex(string source, CodeLanguage language)
    {
        var (blank, comments, _) = LexWithLiterals(source, language);
        return (blank, comments);
    }

    /// <summary>As <see cref="Lex"/>, also listing every string literal that spans lines (and whether it holds interpolation holes).</summary>
    public static (char[] Blank, List<(int Start, int End)> Comments, List<(int Start, int End, bool HasHoles)> Literals) LexWithLiterals(string source, CodeLanguage language)
    {
        var lexer = new BraceLexer(source, language);
        lexer.Code(0, stopAtUnmatchedBrace: false);
        lexer._literals.Sort((a, b) => a.Start.CompareTo(b.Start));
        return (lexer._b, lexer._comments, lexer._literals);
    }

    private void Literal(int start, int end, bool hasHoles)
    {
        if (_s.AsSpan(start, Math.Min(end, _s.Length) - start).Contains('\n'))
        {
            _literals.Add((start, end, hasHoles));
        }
    }

    /// <summary>Lexes code from <paramref name="i"/>; with <paramref name="stopAtUnmatchedBrace"/> returns at the '}' closing a template expression.</summary>
    private int Code(int i, bool stopAtUnmatchedBrace)
    {
        int depth = 0;
        bool lineStart = true;
        while (i < _s.Length)
        {
            char c = _s[i];
            if (c == '\n')
            {
                lineStart = true;
                i++;
                continue;
            }

            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            bool atLineStart = lineStart;
            lineStart = false;
            if (atLineStart && c == '#' && _lang is CodeLanguage.C or CodeLanguage.Cpp or CodeLanguage.CSharp)
            {
                i = Preprocessor(i);
                lineStart = true;
                continue;
            }

            if (c == '/' && i + 1 < _s.Length && _s[i + 1] == '/')
            {
                int commentStart = i;
                i = BlankUntilLineEnd(i);
                _comments.Add((commentStart, i));
                continue;
            }

            if (c == '/' && i + 1 < _s.Length && _s[i + 1] == '*')
            {
                int commentStart = i;
                i = BlockComment(i);
                _comments.Add((commentStart, i));
                continue;
            }

            if (_lang == CodeLanguage.CSharp && (c is '"' or '@' or '$'))
            {
                int end = CSharpString(i);
                if (end > i)
                {
                    i = end;
                    _lastSig = '"';
                    continue;
                }
            }

            switch (c)
            {
                case '"':
                    i = (_lang is CodeLanguage.Java or CodeLanguage.Kotlin or CodeLanguage.Swift) && At(i, "\"\"\"")
                        ? Delimited(i, "\"\"\"", "\"\"\"", escapes: true)
                        : Quoted(i, '"');
                    _lastSig = '"';
                    continue;
                case '\'':
                    i = SingleQuote(i);
                    continue;
                case '`':
                    if (IsJs)
                    {
                        i = Template(i);
                        _lastSig = '`';
                        continue;
                    }

                    if (_lang == CodeLanguage.Go)
                    {
                        i = Delimited(i, "`", "`", escapes: false);
                        _lastSig = '`';
                        continue;
                    }

                    break;
                case '/' when IsJs && RegexAllowed():
                    int end = Regex(i);
                    if (end > 0)
                    {
                        i = end;
                        _lastSig = '/';
                        continue;
                    }

                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0 && stopAtUnmatchedBrace)
                    {
                        return i;
                    }

                    depth--;
                    break;
            }

            if (char.IsLetter(c) || c == '_' || c == '$')
            {
                int start = i;
                int raw = RawStringAt(i);
                if (raw > 0)
                {
                    i = raw;
                    _lastSig = '"';
                    continue;
                }

                while (i < _s.Length && (char.IsLetterOrDigit(_s[i]) || _s[i] is '_' or '$'))
                {
                    i++;
                }

                _lastWordStart = start;
                _lastWordEnd = i;
                _lastSig = 'a';
                continue;
            }

            if (char.IsDigit(c))
            {
                // Numbers, including C++14 digit separators (1'000'000) and Rust suffixes.
                while (i < _s.Length && (char.IsLetterOrDigit(_s[i]) || _s[i] == '.' || _s[i] == '_'
                    || (_s[i] == '\'' && _lang == CodeLanguage.Cpp && i + 1 < _s.Length && char.IsLetterOrDigit(_s[i + 1]))))
                {
                    i++;
                }

                _lastSig = '0';
                continue;
            }

            _lastSig = c;
            i++;
        }

        return i;
    }

    /// <summary>C# strings: "..", @"..", $"..{hole}..", $@"..", raw """..""" (any $ prefix); returns i when none starts here.</summary>
    private int CSharpString(int i)
    {
        int k = i;
        bool verbatim = false;
        bool interpolated = false;
        while (k < _s.Length && _s[k] is '@' or '$')
        {
            verbatim |= _s[k] == '@';
            interpolated |= _s[k] == '$';
            k++;
        }

        if (k >= _s.Length || _s[k] != '"' || (k > i && i > 0 && (char.IsLetterOrDigit(_s[i - 1]) || _s[i - 1] == '_')))
        {
            return i;
        }

        int quotes = 0;
        while (k + quotes < _s.Length && _s[k + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // Raw string literal: ends at the same run of quotes; holes cannot contain it.
            string delimiter = new('"', quotes);
            int close = _s.IndexOf(delimiter, k + quotes, StringComparison.Ordinal);
            int end = close < 0 ? _s.Length : close + quotes;
            BlankRange(i, end);
            Literal(i, end, interpolated);
            return end;
        }

        int j = k + 1;
        while (j < _s.Length)
        {
            char c = _s[j];
            if (c == '"')
            {
                if (verbatim && j + 1 < _s.Length && _s[j + 1] == '"')
                {
                    j += 2;
                    continue;
                }

                j++;
                break;
            }

            if (c == '\\' && !verbatim)
            {
                j += 2;
                continue;
            }

            if (c == '\n' && !verbatim)
            {
                break;
            }

            if (interpolated && c == '{')
            {
                if (j + 1 < _s.Length && _s[j + 1] == '{')
                {
                    j += 2;
                    continue;
                }

                j = Code(j + 1, stopAtUnmatchedBrace: true) + 1;
                continue;
            }

            j++;
        }

        j = Math.Min(j, _s.Length);
        BlankRange(i, j);
        Literal(i, j, interpolated);
        return j;
    }

    private bool At(int i, string text) => string.CompareOrdinal(_s, i, text, 0, text.Length) == 0;

    private void BlankRange(int from, int to)
    {
        for (int k = from; k < to && k < _b.Length; k++)
        {
            if (_b[k] is not '\n' and not '\r')
            {
                _b[k] = ' ';
            }
        }
    }

    private int BlankUntilLineEnd(int i)
    {
        int nl = _s.IndexOf('\n', i);
        int end = nl < 0 ? _s.Length : nl;
        BlankRange(i, end);
        return end;
    }

    private int BlockComment(int i)
    {
        int start = i;
        int nesting = 1;
        i += 2;
        while (i < _s.Length && nesting > 0)
        {
            if (_s[i] == '*' && i + 1 < _s.Length && _s[i + 1] == '/')
            {
                nesting--;
                i += 2;
            }
            else if (_lang == CodeLanguage.Rust && _s[i] == '/' && i + 1 < _s.Length && _s[i + 1] == '*')
            {
                nesting++;
                i += 2;
            }
            else
            {
                i++;
            }
        }

        BlankRange(start, i);
        return i;
    }

    private int Preprocessor(int i)
    {
        int start = i;
        while (i < _s.Length)
        {
            int nl = _s.IndexOf('\n', i);
            if (nl < 0)
            {
                i = _s.Length;
                break;
            }

            int last = nl - 1;
            if (last >= 0 && _s[last] == '\r')
            {
                last--;
            }

            i = nl + 1;
            if (last < 0 || _s[last] != '\\')
            {
                i = nl;
                break;
            }
        }

        // Comments inside directives are blanked with them.
        BlankRange(start, i);
        return i;
    }

    /// <summary>A "..." string with backslash escapes; ends at the quote (or, unterminated, at the line end; Rust strings span lines).</summary>
    private int Quoted(int i, char quote)
    {
        int start = i;
        i++;
        while (i < _s.Length)
        {
            char c = _s[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                i++;
                break;
            }

            if (c == '\n' && _lang != CodeLanguage.Rust)
            {
                break; // Rust strings may span lines; elsewhere an unterminated string ends at the line
            }

            i++;
        }

        i = Math.Min(i, _s.Length);
        BlankRange(start, i);
        Literal(start, i, hasHoles: false);
        return i;
    }

    private int Delimited(int i, string open, string close, bool escapes)
    {
        int start = i;
        i += open.Length;
        while (i < _s.Length)
        {
            if (escapes && _s[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (At(i, close))
            {
                i += close.Length;
                break;
            }

            i++;
        }

        i = Math.Min(i, _s.Length);
        BlankRange(start, i);
        Literal(start, i, hasHoles: false);
        return i;
    }

    private int SingleQuote(int i)
    {
        if (IsJs)
        {
            _lastSig = '"';
            return Quoted(i, '\'');
        }

        if (_lang == CodeLanguage.Rust)
        {
            // 'x', '\n', '\u{1F600}' are chars; 'a (no closing quote right after one char) is a lifetime.
            if (i + 1 < _s.Length && _s[i + 1] == '\\')
            {
                _lastSig = '"';
                return Quoted(i, '\'');
            }

            int next = i + 1 < _s.Length && char.IsHighSurrogate(_s[i + 1]) ? i + 3 : i + 2;
            if (next < _s.Length && _s[next] == '\'')
            {
                BlankRange(i, next + 1);
                _lastSig = '"';
                return next + 1;
            }

            _lastSig = '\'';
            return i + 1;
        }

        _lastSig = '"';
        return Quoted(i, '\'');
    }

    /// <summary>A JavaScript template literal, including nested <c>${ ... }</c> expressions (themselves lexed as code).</summary>
    private int Template(int i)
    {
        int start = i;
        bool holes = false;
        i++;
        while (i < _s.Length)
        {
            char c = _s[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '`')
            {
                i++;
                break;
            }

            if (c == '$' && i + 1 < _s.Length && _s[i + 1] == '{')
            {
                holes = true;
                i = Code(i + 2, stopAtUnmatchedBrace: true) + 1;
                continue;
            }

            i++;
        }

        i = Math.Min(i, _s.Length);
        BlankRange(start, i);
        Literal(start, i, holes);
        return i;
    }

    private bool RegexAllowed()
    {
        if (_lastSig == 'a')
        {
            var word = _s.AsSpan(_lastWordStart, _lastWordEnd - _lastWordStart);
            return word is "return" or "typeof" or "case" or "do" or "else" or "in" or "of" or "new" or "delete" or "void" or "throw" or "yield" or "await" or "instanceof";
        }

        return _lastSig is '\0' or '(' or ',' or '=' or ':' or '[' or '!' or '&' or '|' or '?' or '{' or '}' or ';' or '+' or '-' or '*' or '%' or '<' or '>' or '~' or '^';
    }

    /// <summary>A regex literal from '/' to its closing '/' and flags; -1 when the line ends first (then it was division).</summary>
    private int Regex(int i)
    {
        int start = i;
        i++;
        bool inClass = false;
        while (i < _s.Length)
        {
            char c = _s[i];
            if (c is '\n' or '\r')
            {
                return -1;
            }

            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                i++;
                while (i < _s.Length && char.IsLetter(_s[i]))
                {
                    i++;
                }

                BlankRange(start, i);
                return i;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Rust r"..", r#".."#, br".." and C++ R"delim(..)delim" raw strings starting at an identifier; 0 when none.</summary>
    private int RawStringAt(int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(_s[i - 1]) || _s[i - 1] == '_'))
        {
            return 0;
        }

        if (_lang == CodeLanguage.Rust)
        {
            int k = i;
            if (_s[k] is 'b' or 'c' && k + 1 < _s.Length && _s[k + 1] == 'r')
            {
                k++;
            }

            if (_s[k] != 'r')
            {
                return 0;
            }

            k++;
            int hashes = 0;
            while (k < _s.Length && _s[k] == '#')
            {
                hashes++;
                k++;
            }

            if (k >= _s.Length || _s[k] != '"')
            {
                return 0;
            }

            string close = "\"" + new string('#', hashes);
            int end = _s.IndexOf(close, k + 1, StringComparison.Ordinal);
            end = end < 0 ? _s.Length : end + close.Length;
            BlankRange(i, end);
            Literal(i, end, hasHoles: false);
            return end;
        }

        if (_lang is CodeLanguage.Cpp or CodeLanguage.C)
        {
            int k = i;
            while (k < _s.Length && k - i < 2 && _s[k] is 'u' or 'U' or 'L' or '8')
            {
                k++;
            }

            if (k + 1 >= _s.Length || _s[k] != 'R' || _s[k + 1] != '"')
            {
                return 0;
            }

            int paren = _s.IndexOf('(', k + 2);
            if (paren < 0 || paren - (k + 2) > 16)
            {
                return 0;
            }

            string close = ")" + _s[(k + 2)..paren] + "\"";
            int end = _s.IndexOf(close, paren + 1, StringComparison.Ordinal);
            end = end < 0 ? _s.Length : end + close.Length;
            BlankRange(i, end);
            Literal(i, end, hasHoles: false);
            return end;
        }

        return 0;
    }
}
