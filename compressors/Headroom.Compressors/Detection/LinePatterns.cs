using System.Text.RegularExpressions;

namespace Headroom.Compressors.Detection;

/// <summary>Per-line patterns the detector and the compressors share (run on whole lines, never per byte).</summary>
internal static partial class LinePatterns
{
    /// <summary>grep/rg/git grep hit or context line: <c>path:12:text</c>, <c>path:12:3:text</c>, <c>path-12-text</c>.</summary>
    [GeneratedRegex(@"^(?:(?<path>(?:[A-Za-z]:)?[^\s:]*[./\\][^\s:]*[^\s:0-9])(?::(?<line>[0-9]+)(?::[0-9]+)?:|-(?<cline>[0-9]+)-)|(?<path>[A-Za-z_][\w-]*[A-Za-z_]):(?<line>[0-9]+)(?::[0-9]+)?:)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex SearchHit();

    /// <summary>A timestamp, level word or bracketed field near the start of a log line.</summary>
    [GeneratedRegex(@"^.{0,60}?(?:\b[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?|\b(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE|Info|Warn|Warning|Error|Debug|Fatal|notice|info|warn|error|debug)\b|\b1[0-9]{9}\b|^[0-9]{8}-)", RegexOptions.CultureInvariant)]
    public static partial Regex LogPrefix();

    /// <summary>Lines build tools and test runners print.</summary>
    [GeneratedRegex(@"^(?:\s*(?:PASS|FAIL|ok|FAILED|PASSED|ERROR|SKIPPED|XFAIL|error|warning|note|info)\b|\s*(?:---|===) (?:RUN|FAIL|PASS|SKIP|PAUSE|CONT)\b|\s*Compiling |\s*Running |\s*Finished |\s*Downloading |\s*Restor|\s*Build (?:succeeded|FAILED)|\s*BUILD (?:SUCCESS|FAILURE|SUCCESSFUL|FAILED)|\s*> Task |\s*\[(?:INFO|WARNING|ERROR|WARN)\]|\s*npm (?:ERR!|WARN|notice)|\s*make(?:\[[0-9]+\])?: |\s*test result: |\s*Tests?:? |\s*=+ .* =+$|.*\b(?:error|warning) [A-Z]+[0-9]+:|\s*at [\w$.<>]+\(.*\)$|\s*File ""[^""]+"", line [0-9]+|Traceback \(most recent call last\)|\s*[✓✔✗✘×] )", RegexOptions.CultureInvariant)]
    public static partial Regex BuildLine();

    /// <summary>Error-like lines that compressors always keep.</summary>
    [GeneratedRegex(@"\b(?:error|errors|fatal|exception|failed|failure|fail|panic|panicked|critical|severe|denied|refused|unreachable|timeout|timed out|traceback|segfault|abort|aborted|killed|crash|crashed|assert|assertion|invalid|cannot|can't|unable|not found|ERR!|FAIL|FAILED)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    public static partial Regex ErrorWord();
}
