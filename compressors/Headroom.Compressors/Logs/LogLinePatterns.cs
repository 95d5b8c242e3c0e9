using System.Buffers;
using System.Text.RegularExpressions;

namespace Headroom.Compressors.Logs;

/// <summary>
/// Line shapes the log compressor treats specially, across dotnet/msbuild, pytest, jest/vitest,
/// go test, cargo, npm, maven/gradle and make output.
/// </summary>
internal static partial class LogLinePatterns
{
    // Every alternative of Error() contains one of these (case-insensitively), so a line without
    // any of them cannot match: one vectorized multi-string search instead of a regex run.
    private static readonly SearchValues<string> ErrorKeywords = SearchValues.Create(
        ["err", "fatal", "crit", "alert", "emerg", "severe", "panic", "exception", "fail", "traceback", "seg", "assert", "abort",
         "crash", "killed", "denied", "refused", "timed", "timeout", "unreachable", "cannot", "unable", "not found", "***"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> WarningKeywords = SearchValues.Create(["warn"], StringComparison.OrdinalIgnoreCase);

    public static bool IsError(ReadOnlySpan<char> line) => (line.IndexOfAny(ErrorKeywords) >= 0 && Error().IsMatch(line)) || LevelLetter(line) is 'E' or 'F';

    public static bool IsWarning(ReadOnlySpan<char> line) => (line.IndexOfAny(WarningKeywords) >= 0 && Warning().IsMatch(line)) || LevelLetter(line) == 'W';

    /// <summary>The one-letter level after a numeric timestamp/pid prefix, as Android logcat writes it
    /// (<c>03-17 16:13:38.811  1702  2395 W Tag: ...</c>), or '\0'.</summary>
    public static char LevelLetter(ReadOnlySpan<char> line)
    {
        if (line.IsEmpty || !char.IsAsciiDigit(line[0]))
        {
            return '\0';
        }

        var i = line.IndexOfAnyExcept("0123456789:.- ");
        return i > 0 && line[i - 1] == ' ' && i + 1 < line.Length && line[i + 1] == ' ' && char.IsAsciiLetterUpper(line[i]) ? line[i] : '\0';
    }

    /// <summary>A line at error/alert level or naming a failure.</summary>
    [GeneratedRegex(@"\b(?:ERROR|ERR|FATAL|CRITICAL|CRIT|ALERT|EMERG|SEVERE|PANIC)\b|\[(?:error|crit|alert|emerg|fatal)\]|\b(?:error|errors|exception|exceptions|fatal|failed|fail|fails|failure|failures|panic|panicked|traceback|segfault|segmentation fault|assertion|aborted|crashed|killed|denied|refused|timed out|timeout|unreachable|cannot|unable to|not found)\b|\w(?:Exception|Error)\b|npm ERR!|\*\*\* ", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    public static partial Regex Error();

    [GeneratedRegex(@"\b(?:WARN|WARNING|WARNINGS|Warning|warning|warnings|warn)\b|\[(?:warn|warning)\]|npm WARN", RegexOptions.CultureInvariant)]
    public static partial Regex Warning();

    /// <summary>Stack frames and their continuations (.NET/Java "at", Python "File", Go, Rust, Node).</summary>
    [GeneratedRegex(@"^(?:\s+at |\s+File ""|\s*Caused by:|\s+\.\.\. [0-9]+ (?:more|common frames)|Traceback \(most recent call last\)|\s+[0-9]+: \S|goroutine [0-9]+ \[|\s+/\S+\.go:[0-9]+|\s+\S+\.(?:js|ts|mjs|cjs):[0-9]+:[0-9]+|\s+--- End of (?:inner exception )?stack trace|\s+in \S+:line [0-9]+)", RegexOptions.CultureInvariant)]
    public static partial Regex StackFrame();

    /// <summary>A passing test: dropped (only failures matter).</summary>
    [GeneratedRegex(@"^(?:\s*(?:✓|✔|√)\s|\s*PASS\s|\s*--- PASS: |=== (?:RUN|PAUSE|CONT)\s|ok\s+\S+\s+[0-9.]+s|\s*test \S+ \.\.\. ok$|.*::\S+ PASSED|\s*Passed \S|\s*\[PASS\]|\s*\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0)", RegexOptions.CultureInvariant)]
    public static partial Regex PassingTest();

    /// <summary>Start of a failure block kept whole (up to a cap).</summary>
    [GeneratedRegex(@"^(?:\s*(?:✕|✗|✘|×)\s|\s*FAIL\s|\s*--- FAIL: |\s*● |\s*test \S+ \.\.\. FAILED$|---- \S+ stdout ----|_{3,} \S.* _{3,}$|.*::\S+ FAILED|\s*Failed \S|\s*\[FAIL\]|\[ERROR\] (?:Tests run:|Failed tests:|\S+\(\S+\)\s+Time elapsed)|FAILURE: Build failed|> Task \S+ FAILED|\s+Error Message:|\s+Stack Trace:)", RegexOptions.CultureInvariant)]
    public static partial Regex FailureStart();

    /// <summary>Summary lines build tools and test runners end with.</summary>
    [GeneratedRegex(@"(?:^\s*(?:Build succeeded|Build FAILED|Time Elapsed|[0-9]+ Warning\(s\)|[0-9]+ Error\(s\)|Tests?:\s|Test Suites:|Snapshots:|Test Files|Total tests:|Passed!|Failed!|test result:|BUILD (?:SUCCESS|FAILURE|SUCCESSFUL|FAILED)|Tests run:|\[INFO\] (?:BUILD|Total time|Tests run:)|\[ERROR\] (?:BUILD|Failed to execute)|FAILED \(|OK \(|Ran [0-9]+ tests?|Finished |ok\s+\S+\s|FAIL\s+\S+\s+[0-9.]+s$|FAIL$|make(?:\[[0-9]+\])?: \*\*\*|npm ERR! (?:code|errno)|[0-9]+ (?:passing|failing|pending)|={3,} .*(?:passed|failed|error).* ={3,}|short test summary))", RegexOptions.CultureInvariant)]
    public static partial Regex Summary();
}
