using System.Text.Json;
using Headroom.Bench.Compressors.Oracles;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors.RelevanceRankers;

/// <summary>
/// Builds the question sets from ../shared/data with rules of their own (System.Text.Json and string
/// operations only; nothing from the compressors):
/// <list type="bullet">
/// <item>JSON: the largest array of ≥ 30 objects of each file; items at 1/6 … 5/6 of it that the JSON
/// oracle does not already protect (no shape anomaly, no error); the clue is a string field of ≥ 3 words,
/// unique in the array, without digits; the answer another string or number field whose text only that
/// item holds. Question: "What is the {answer field} of the entry whose {clue field} reads {clue}?"; the item
/// counts as kept when its clue value is in the output.</item>
/// <item>grep: match lines at 1/9 … 8/9 of each file; the clue is the line's 4 rarest words (≥ 4 letters,
/// counted over the whole output), lines whose text occurs once; kept = its "path:line:" and first 80 chars
/// of text are in the output. Question: "Where does it say {clue}?"</item>
/// <item>logs: the first 4 of the lines at 1/21 … 20/21 of each loghub log that the log compressor cuts when it runs
/// without a question (its text nowhere in the output; the one use of compressor code: deciding which lines need the
/// question at all) and that 4 tokens
/// name alone: the line's 4 rarest tokens of ≥ 4 chars (counted over the whole log; words, identifiers, numbers and
/// addresses, not dates or times), and no other line holds all 4; kept = the whole line is in the output.
/// Question: "Where does it say {clue}?"</item>
/// </list>
/// The paraphrased set (<c>paraphrased.jsonl</c> here) rewords some of them away from the item's words.
/// </summary>
internal static class RelevanceQuestions
{
    public static List<RelevanceQuestion> Json(string dataDir)
    {
        var result = new List<RelevanceQuestion>();
        foreach (var file in Directory.GetFiles(Path.Combine(dataDir, "json"), "*.json").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            using var doc = JsonDocument.Parse(text);
            var array = Largest(doc.RootElement);
            if (array is not { } a)
            {
                continue;
            }

            var items = a.EnumerateArray().ToList();
            var raws = items.Select(i => i.GetRawText()).ToList();
            static string Keys(JsonElement o) => o.ValueKind == JsonValueKind.Object ? string.Join(',', o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : "";
            var majority = items.GroupBy(Keys, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First().Key;
            for (var j = 1; j <= 5; j++)
            {
                var index = items.Count * j / 6;
                var item = items[index];
                // Ordinary: the majority's keys, and nothing the oracle protects inside it (an error, say).
                if (item.ValueKind != JsonValueKind.Object || Keys(item) != majority || JsonOracle.MeasureItems("[" + raws[index] + "]", null, "").Must > 0)
                {
                    continue;
                }

                var fields = item.EnumerateObject().ToList();
                var clue = fields.FirstOrDefault(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { } s
                    && s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3 && s.Length <= 160 && !s.Any(char.IsDigit)
                    && raws.Count(r => r.Contains(p.Value.GetRawText(), StringComparison.Ordinal)) == 1);
                if (clue.Value.ValueKind == JsonValueKind.Undefined)
                {
                    continue;
                }

                var answer = fields.FirstOrDefault(p => p.Name != clue.Name && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    && p.Value.GetRawText().Length >= 4 && raws.Count(r => r.Contains(p.Value.GetRawText(), StringComparison.Ordinal)) == 1);
                if (answer.Value.ValueKind == JsonValueKind.Undefined)
                {
                    continue;
                }

                var words = string.Join(' ', clue.Value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(10));
                // The item survives when its clue (a value only it holds) is in the output: the answer field itself may be
                // written as a rule over another column (headroom:derived), so its text is not what to look for.
                result.Add(new RelevanceQuestion("json", Path.GetFileName(file), text,
                    $"What is the {answer.Name} of the entry whose {clue.Name} reads {words}?", clue.Value.GetRawText(), $"{Path.GetFileName(file)}#{index}"));
            }
        }

        return result;
    }

    public static List<RelevanceQuestion> Grep(string dataDir)
    {
        var result = new List<RelevanceQuestion>();
        foreach (var file in Directory.GetFiles(Path.Combine(dataDir, "grep"), "*.txt").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
            var bodies = lines.Select(Body).ToList();
            var df = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var body in bodies)
            {
                foreach (var w in Words(body).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    df[w] = df.GetValueOrDefault(w) + 1;
                }
            }

            for (var j = 1; j <= 8; j++)
            {
                var index = lines.Count * j / 9;
                var clue = Words(bodies[index]).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(w => df[w]).ThenBy(w => w, StringComparer.Ordinal).Take(4).ToList();
                if (clue.Count < 3 || bodies.Count(b => b == bodies[index]) > 1)
                {
                    continue;
                }

                // The hit survives when its "path:line:" and the first 80 chars of its text are in the output (a long line keeps its head).
                var head = lines[index][..Math.Min(lines[index].Length, lines[index].Length - bodies[index].Length + 80)];
                result.Add(new RelevanceQuestion("grep", Path.GetFileName(file), text, $"Where does it say {string.Join(' ', clue)}?", head, $"{Path.GetFileName(file)}#{index}"));
            }
        }

        return result;
    }

    public static List<RelevanceQuestion> Logs(string dataDir)
    {
        var result = new List<RelevanceQuestion>();
        foreach (var file in Directory.GetFiles(Path.Combine(dataDir, "logs"), "*_2k.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var tokens = lines.Select(l => LogTokens(l).Distinct(StringComparer.Ordinal).ToList()).ToList();
            var df = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var t in tokens.SelectMany(t => t))
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }

            var uncut = new LogCompressor().Compress(text, CompressionRequest.Empty).Output;
            var asked = 0;
            for (var j = 1; j <= 20 && asked < 4; j++)
            {
                var index = lines.Count * j / 21;
                var clue = tokens[index].OrderBy(t => df[t]).ThenBy(t => t, StringComparer.Ordinal).Take(4).ToList();
                // Cut: its text is nowhere in the output (a line kept with a note after it is not cut).
                if (clue.Count < 3 || uncut.Contains(lines[index], StringComparison.Ordinal) || tokens.Count(t => clue.All(t.Contains)) > 1)
                {
                    continue;
                }

                result.Add(new RelevanceQuestion("log", Path.GetFileName(file), text, $"Where does it say {string.Join(' ', clue)}?", lines[index], $"{Path.GetFileName(file)}#{index}"));
                asked++;
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="line"/> is a whole line of <paramref name="output"/> (a CRLF's '\r' may follow it).</summary>
    public static bool HasLine(string output, string line)
    {
        for (var at = output.IndexOf(line, StringComparison.Ordinal); at >= 0; at = output.IndexOf(line, at + 1, StringComparison.Ordinal))
        {
            var end = at + line.Length;
            if ((at == 0 || output[at - 1] == '\n') && (end == output.Length || output[end] is '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    // Tokens of a log line: runs between spaces, brackets, quotes and separators, ≥ 4 chars; a run of digits with
    // ':', '-' or '/' in it is a date or a time, which a question about a line does not name.
    private static IEnumerable<string> LogTokens(string line) =>
        line.Split((char[])[' ', '\t', '"', '\'', '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', '=', '|'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Trim(':', '.'))
            .Where(t => t.Length >= 4 && (t.Any(char.IsLetter) || !t.Any(c => c is ':' or '-' or '/')));

    // The text after "path:line:" of a git grep -n line.
    private static string Body(string line)
    {
        var first = line.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
        return second < 0 ? line : line[(second + 1)..];
    }

    private static IEnumerable<string> Words(string body) =>
        body.Split((char[])[' ', '\t', '`', '"', '\'', '(', ')', '[', ']', '|', ',', '.', ':', ';', '*', '_', '-', '/', '=', '<', '>', '{', '}', '#'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4 && w.All(char.IsLetter));

    private static JsonElement? Largest(JsonElement root)
    {
        JsonElement? best = null;
        Visit(root, 0);
        return best;

        void Visit(JsonElement e, int depth)
        {
            if (depth > 6)
            {
                return;
            }

            if (e.ValueKind == JsonValueKind.Array)
            {
                if (e.GetArrayLength() >= 30 && e.EnumerateArray().Count(x => x.ValueKind == JsonValueKind.Object) >= 30 && (best is null || e.GetArrayLength() > best.Value.GetArrayLength()))
                {
                    best = e;
                }

                foreach (var x in e.EnumerateArray())
                {
                    Visit(x, depth + 1);
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    Visit(p.Value, depth + 1);
                }
            }
        }
    }
}
