using System.Text.RegularExpressions;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Removes what looks like a credential from text the gateway records (the command a tool output came
/// from), before it is stored: provider and cloud keys, bearer tokens, basic-auth URLs, and
/// <c>password=</c> / <c>token=</c> / <c>api_key=</c>-style pairs and flags. The replacement says what was removed.
/// </summary>
internal static partial class CredentialScrubber
{
    public const string Redacted = "[redacted]";

    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text) || CannotMatch(text))
        {
            return text;
        }

        var scrubbed = KnownKey().Replace(text, Redacted);
        scrubbed = Bearer().Replace(scrubbed, m => m.Groups["scheme"].Value + " " + Redacted);
        scrubbed = UrlPassword().Replace(scrubbed, m => m.Groups["user"].Value + ":" + Redacted + "@");
        scrubbed = Pair().Replace(scrubbed, m => m.Groups["name"].Value + m.Groups["sep"].Value + Redacted);
        return scrubbed;
    }

    /// <summary>
    /// Every pattern below needs one of these literals (case-insensitive ones only in ASCII text: .NET's
    /// case-insensitive matching also folds a few non-ASCII letters, so such text always runs the patterns).
    /// A command without any of them is returned as it is, without running four regexes on every recorded block.
    /// </summary>
    private static bool CannotMatch(string text)
    {
        if (!System.Text.Ascii.IsValid(text))
        {
            return false;
        }

        var span = text.AsSpan();
        return span.IndexOfAny(Literals) < 0;
    }

    /// <summary>KnownKey: sk-, gh?_, github_pat_, xox?-, AKIA, AIza; Bearer: bearer, basic, token; UrlPassword: ://;
    /// Pair: password, passwd, pwd, secret, token, api?key, access?key, client?secret, auth.</summary>
    private static readonly System.Buffers.SearchValues<string> Literals = System.Buffers.SearchValues.Create(
        ["sk-", "gh", "github_pat_", "xox", "AKIA", "AIza", "bearer", "basic", "token", "://", "pass", "pwd", "secret", "api", "access", "auth"],
        StringComparison.OrdinalIgnoreCase);

    // sk-..., sk-ant-..., sk-proj-..., ghp_/gho_/github_pat_, xox[bap]-, AKIA..., AIza...
    [GeneratedRegex(@"\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{12,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,})")]
    private static partial Regex KnownKey();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Token))\s+[A-Za-z0-9._~+/=\-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?<user>\b[a-z][a-z0-9+.\-]*://[^\s:/@]+):[^\s@/]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<name>(?:--?)?\b(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|client[_\-]?secret|auth)\b)(?<sep>\s*[=:]\s*|\s+(?=[^\s-]))(?:""[^""]*""|'[^']*'|[^\s&;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Pair();
}
