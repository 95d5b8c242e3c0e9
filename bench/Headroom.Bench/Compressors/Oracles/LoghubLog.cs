using System.Globalization;
using System.Text;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// One loghub system: the raw <c>&lt;System&gt;_2k.log</c> lines and, row for row, the ground truth of
/// <c>&lt;System&gt;_2k.log_structured.csv</c> (<c>Level</c> where the system has one, <c>Content</c>,
/// <c>EventTemplate</c>).
/// </summary>
internal sealed class LoghubLog
{
    private LoghubLog(string system, string text, string[] lines, LoghubRow[] rows)
    {
        System = system;
        Text = text;
        Lines = lines;
        Rows = rows;
    }

    public string System { get; }

    /// <summary>The raw log as the compressor receives it.</summary>
    public string Text { get; }

    /// <summary>Raw lines (no line ends); <c>Lines[i]</c> is the line of <c>Rows[i]</c>.</summary>
    public string[] Lines { get; }

    public LoghubRow[] Rows { get; }

    public static LoghubLog Load(string systemDir)
    {
        var system = Path.GetFileName(systemDir);
        var text = File.ReadAllText(Path.Combine(systemDir, system + "_2k.log"));
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        var csvPath = Path.Combine(systemDir, system + "_2k.log_structured.csv");
        var records = ReadCsv(File.ReadAllText(csvPath));
        var header = records[0];
        int level = Array.IndexOf(header, "Level"), content = Array.IndexOf(header, "Content"), template = Array.IndexOf(header, "EventTemplate"), id = Array.IndexOf(header, "LineId");
        if (content < 0 || template < 0 || id < 0)
        {
            throw new InvalidDataException($"{csvPath} lacks LineId, Content or EventTemplate columns.");
        }

        var rows = new LoghubRow[lines.Length];
        foreach (var r in records.Skip(1))
        {
            var index = int.Parse(r[id], CultureInfo.InvariantCulture) - 1;
            if (index >= 0 && index < rows.Length)
            {
                rows[index] = new LoghubRow(level >= 0 ? r[level] : null, r[content], r[template]);
            }
        }

        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] ??= new LoghubRow(null, lines[i], lines[i]);
        }

        return new LoghubLog(system, text, lines, rows);
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.</summary>
    private static List<string[]> ReadCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
