using System.Text.Json;
using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Mixed;

/// <summary>
/// Splits Markdown-like text into sections: fenced blocks (``` or ~~~, typed by their info string),
/// bare JSON blocks that parse, runs of log lines, grep/rg hits and unified diffs; everything else is prose.
/// Sections are contiguous and cover the whole input.
/// </summary>
internal static class MixedSplitter
{
    private const int MinRunLines = 4;

    public static List<MixedSection> Split(string text)
    {
        var lines = new LineIndex(text);
        var sections = new List<MixedSection>();
        int proseStart = 0;
        int line = 0;
        while (line < lines.Count)
        {
            int start = lines.Start(line);
            if (TryFence(text, lines, line, out int fenceEnd, out var fenced))
            {
                Flush(sections, proseStart, start);
                sections.Add(fenced);
                line = fenceEnd;
                proseStart = lines.Start(line);
                continue;
            }

            if (TryJson(text, lines, line, out int jsonEnd)
                || TryRun(text, lines, line, MixedLineKind.Diff, out jsonEnd)
                || TryRun(text, lines, line, MixedLineKind.Search, out jsonEnd)
                || TryRun(text, lines, line, MixedLineKind.Log, out jsonEnd))
            {
                var kind = Classify(text, lines, line);
                ContentType type = text[start] is '{' or '[' && kind != MixedLineKind.Log ? ContentType.Json
                    : kind switch { MixedLineKind.Diff => ContentType.Diff, MixedLineKind.Search => ContentType.Search, _ => ContentType.Log };
                Flush(sections, proseStart, start);
                int end = lines.Start(jsonEnd);
                sections.Add(new MixedSection(start, end, type, null, start, end));
                line = jsonEnd;
                proseStart = end;
                continue;
            }

            line++;
        }

        Flush(sections, proseStart, text.Length);
        return sections;
    }

    private static void Flush(List<MixedSection> sections, int start, int end)
    {
        if (end > start)
        {
            sections.Add(new MixedSection(start, end, ContentType.Text, null, start, end));
        }
    }

    private static bool TryFence(string text, LineIndex lines, int line, out int endLine, out MixedSection section)
    {
        endLine = line;
        section = default;
        int i = lines.Start(line);
        int lineEnd = lines.NextStart(line);
        int indent = 0;
        while (i < lineEnd && text[i] == ' ' && indent < 4)
        {
            i++;
            indent++;
        }

        if (indent > 3 || i + 3 > lineEnd || text[i] is not ('`' or '~'))
        {
            return false;
        }

        char fence = text[i];
        int run = 0;
        while (i + run < lineEnd && text[i + run] == fence)
        {
            run++;
        }

        if (run < 3)
        {
            return false;
        }

        string info = text[(i + run)..lineEnd].Trim();
        int space = info.IndexOf(' ', StringComparison.Ordinal);
        string language = (space < 0 ? info : info[..space]).ToLowerInvariant();
        for (int l = line + 1; l < lines.Count; l++)
        {
            var t = text.AsSpan(lines.Start(l), lines.NextStart(l) - lines.Start(l)).Trim();
            int closing = 0;
            while (closing < t.Length && t[closing] == fence)
            {
                closing++;
            }

            if (closing >= run && closing == t.Length)
            {
                int bodyStart = lines.NextStart(line);
                int bodyEnd = lines.Start(l);
                endLine = l + 1;
                section = new MixedSection(lines.Start(line), lines.NextStart(l), TypeOfFence(language), language.Length == 0 ? null : language, bodyStart, bodyEnd);
                return true;
            }
        }

        return false; // unclosed fence: prose
    }

    private static ContentType TypeOfFence(string language) => language switch
    {
        "json" or "jsonc" or "json5" => ContentType.Json,
        "diff" or "patch" => ContentType.Diff,
        "log" or "logs" or "console" or "output" or "shell-session" => ContentType.Log,
        "html" or "htm" or "xhtml" => ContentType.Html,
        "" or "text" or "txt" or "plain" or "markdown" or "md" => ContentType.Text,
        _ => CodeLanguages.FromHint(language) != CodeLanguage.Unknown ? ContentType.Code : ContentType.Text,
    };

    private static bool TryJson(string text, LineIndex lines, int line, out int endLine)
    {
        endLine = line;
        int start = lines.Start(line);
        if (text[start] is not ('{' or '['))
        {
            return false;
        }

        // Find where brackets balance (outside strings), then make sure it parses.
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && --depth == 0)
            {
                int last = lines.LineOf(i);
                if (last - line + 1 < MinRunLines || !OnlyWhitespace(text, i + 1, lines.NextStart(last)))
                {
                    return false;
                }

                try
                {
                    using var _ = JsonDocument.Parse(text.AsMemory(start, i + 1 - start));
                }
                catch (JsonException)
                {
                    return false;
                }

                endLine = last + 1;
                return true;
            }
        }

        return false;
    }

    private static bool OnlyWhitespace(string text, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryRun(string text, LineIndex lines, int line, MixedLineKind kind, out int endLine)
    {
        endLine = line;
        int l = line;
        while (l < lines.Count && Classify(text, lines, l) == kind)
        {
            l++;
        }

        if (l - line < MinRunLines)
        {
            return false;
        }

        endLine = l;
        return true;
    }

    private static MixedLineKind Classify(string text, LineIndex lines, int line)
    {
        var s = text.AsSpan(lines.Start(line), lines.NextStart(line) - lines.Start(line)).TrimEnd("\r\n");
        if (s.IsEmpty)
        {
            return MixedLineKind.Other;
        }

        if (s.StartsWith("diff --git ") || s.StartsWith("@@ ") || s.StartsWith("+++ ") || s.StartsWith("--- ") || s.StartsWith("index ")
            || (s[0] is '+' or '-' or ' ' && line > 0 && PreviousIsDiff(text, lines, line)))
        {
            return MixedLineKind.Diff;
        }

        // path:line: or path:line- (grep -n / rg -n)
        int colon = s.IndexOf(':');
        if (colon > 0 && !s[..colon].Contains(' ') && colon + 1 < s.Length && char.IsDigit(s[colon + 1]))
        {
            int k = colon + 1;
            while (k < s.Length && char.IsDigit(s[k]))
            {
                k++;
            }

            if (k < s.Length && s[k] is ':' or '-' && !s[..colon].ContainsAny("0123456789") || (k < s.Length && s[k] == ':' && s[..colon].Contains('.')))
            {
                return MixedLineKind.Search;
            }
        }

        // Timestamps or levels at the start of the line.
        if (s.Length >= 10 && char.IsDigit(s[0]) && char.IsDigit(s[1]) && (s[2] is ':' or '-' or '/' || (char.IsDigit(s[2]) && char.IsDigit(s[3]) && s[4] is '-' or '/')))
        {
            return MixedLineKind.Log;
        }

        var t = s.TrimStart('[');
        foreach (var level in (string[])["INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "info:", "warn:", "fail:", "error:", "warning:"])
        {
            if (t.StartsWith(level, StringComparison.Ordinal))
            {
                return MixedLineKind.Log;
            }
        }

        return MixedLineKind.Other;
    }

    private static bool PreviousIsDiff(string text, LineIndex lines, int line)
    {
        var p = text.AsSpan(lines.Start(line - 1), lines.NextStart(line - 1) - lines.Start(line - 1));
        return p.StartsWith("@@ ") || p.StartsWith("+++ ") || (p.Length > 0 && p[0] is '+' or '-' or ' ' && !p.StartsWith("---"));
    }
}
