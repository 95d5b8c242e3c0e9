using System.Text.RegularExpressions;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// The evaluation's own notion of an alert line, written apart from the log compressor's patterns:
/// a loghub <c>Level</c> at warning level or above, or content naming an error, failure, exception
/// or warning. Deliberately broad: an oracle that errs should err towards demanding more.
/// </summary>
internal static partial class SeverityRule
{
    private static readonly HashSet<string> AlertLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        "E", "W", "F", "A", "C", "error", "err", "warn", "warning", "fatal", "critical", "crit", "alert", "emerg", "emergency", "severe", "panic",
    };

    public static bool IsAlertLevel(string? level) => level is not null && AlertLevels.Contains(level.Trim());

    public static bool IsAlertText(string text) => AlertWords().IsMatch(text);

    public static bool IsAlert(string? level, string text) => IsAlertLevel(level) || IsAlertText(text);

    [GeneratedRegex(@"(?i)\b(?:errors?|fatal|exceptions?|failed|fails?|failures?|warn|warning|warnings|critical|panic|panicked|severe|emerg|abort(?:ed)?|crash(?:ed)?|denied|refused|timed out|timeout)\b|\w(?:Exception|Error)\b")]
    private static partial Regex AlertWords();
}
