using System.Text;
using System.Text.RegularExpressions;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// What must survive compression of a loghub log, decided from loghub's ground truth and
/// <see cref="SeverityRule"/> only (no code of the compressors):
/// <list type="bullet">
/// <item>alert messages: every event template that has an alert line keeps at least one of those lines verbatim;</item>
/// <item>rare alert lines: every alert line whose template occurs at most <see cref="RareRepeats"/> times is in the output verbatim;</item>
/// <item>identifiers: every distinct identifier-like value of a template's variable fields (<see cref="IdentifierRule"/>) appears in the output (lines, summaries or marker; a shell-style brace list such as <c>node-{3,7..9}</c> counts for each value it expands to).</item>
/// </list>
/// The oracle saving is what keeping one representative line per ground-truth template would save.
/// </summary>
internal sealed class LogOracle
{
    public const int RareRepeats = 5;

    private readonly LoghubLog _log;
    private readonly Dictionary<string, int> _templateCount = new(StringComparer.Ordinal);
    private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);
    private readonly bool[] _alert;

    public LogOracle(LoghubLog log)
    {
        _log = log;
        _alert = new bool[log.Lines.Length];
        var patterns = new Dictionary<string, Regex?>(StringComparer.Ordinal);
        for (var i = 0; i < log.Rows.Length; i++)
        {
            var row = log.Rows[i];
            _templateCount[row.EventTemplate] = _templateCount.GetValueOrDefault(row.EventTemplate) + 1;
            _alert[i] = SeverityRule.IsAlert(row.Level, row.Content);
            if (!patterns.TryGetValue(row.EventTemplate, out var pattern))
            {
                pattern = TemplatePattern(row.EventTemplate);
                patterns[row.EventTemplate] = pattern;
            }

            foreach (var id in IdentifierRule.InVariables(pattern, row.Content))
            {
                _identifiers.Add(id);
            }
        }
    }

    public int AlertLines => _alert.Count(a => a);

    public int Templates => _templateCount.Count;

    /// <summary>One raw line per ground-truth template (its first), in log order.</summary>
    public string OracleOutput()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        for (var i = 0; i < _log.Lines.Length; i++)
        {
            if (seen.Add(_log.Rows[i].EventTemplate))
            {
                sb.Append(_log.Lines[i]).Append('\n');
            }
        }

        return sb.ToString();
    }

    public (Retained AlertMessages, Retained RareAlertLines, Retained Identifiers) Measure(string output, List<string>? lost = null)
    {
        var outLines = new HashSet<string>(output.Split('\n').Select(l => l.TrimEnd('\r')), StringComparer.Ordinal);
        bool Verbatim(string line) => outLines.Contains(line) || output.Contains(line, StringComparison.Ordinal);
        var messages = new Dictionary<string, bool>(StringComparer.Ordinal);
        int rareMust = 0, rareKept = 0;
        for (var i = 0; i < _log.Lines.Length; i++)
        {
            if (!_alert[i] || _log.Lines[i].Length == 0)
            {
                continue;
            }

            var template = _log.Rows[i].EventTemplate;
            var present = Verbatim(_log.Lines[i]);
            messages[template] = messages.GetValueOrDefault(template) || present;
            if (_templateCount[template] <= RareRepeats)
            {
                rareMust++;
                rareKept += present ? 1 : 0;
                if (!present)
                {
                    lost?.Add("alert line: " + _log.Lines[i]);
                }
            }
        }

        var idsKept = 0;
        var expanded = BraceExpansion.Expand(output);
        foreach (var id in _identifiers)
        {
            if (output.Contains(id, StringComparison.Ordinal) || expanded.Contains(id, StringComparison.Ordinal))
            {
                idsKept++;
            }
            else
            {
                lost?.Add("identifier: " + id);
            }
        }

        foreach (var (template, kept) in messages)
        {
            if (!kept)
            {
                lost?.Add("alert message: " + template);
            }
        }

        return (new Retained(messages.Count, messages.Count(m => m.Value)), new Retained(rareMust, rareKept), new Retained(_identifiers.Count, idsKept));
    }

    // Literal parts of the template must match; each <*> captures a variable field.
    private static Regex? TemplatePattern(string template)
    {
        if (!template.Contains("<*>", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = template.Split("<*>");
        var pattern = "^" + string.Join("(.*?)", parts.Select(Regex.Escape)) + "$";
        return new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }
}
