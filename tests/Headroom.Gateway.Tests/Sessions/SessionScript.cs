using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Sessions;

/// <summary>One tool call of the scripted agent and the output the client got for it (real data from ../shared/data).</summary>
internal sealed record ToolStep(string Tool, string Command, string Output, string Source);

/// <summary>
/// The 30 tool calls of the session: a realistic mix of build/system logs, grep hits, API JSON, diffs,
/// HTML pages, file reads (Claude Code's Read is excluded from compression) and small outputs.
/// Bash outputs are capped at whole lines under 30,000 characters, as Claude Code inlines no more.
/// </summary>
internal static class SessionScript
{
    /// <summary>How clients and the gateway write JSON (JS <c>JSON.stringify</c> does not escape &lt; &gt; &amp; +).</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const int Turns = 30;

    private static readonly Lazy<IReadOnlyList<ToolStep>> LazySteps = new(Build);

    public static IReadOnlyList<ToolStep> Steps => LazySteps.Value;

    private static IReadOnlyList<ToolStep> Build()
    {
        static string Log(string system, int skip = 0) => Head(SharedData.Path("logs", system, system + "_2k.log"), 28_000, skip);
        static string Whole(params string[] path) => File.ReadAllText(SharedData.Path(path));
        static string Ls(string dir) => string.Join('\n', Directory.GetFileSystemEntries(SharedData.Path(dir)).Select(Path.GetFileName).Order(StringComparer.Ordinal)) + "\n";

        var steps = new List<ToolStep>
        {
            new("Bash", "ls data/json", Ls("json"), "ls json/"),
            new("Bash", "tail -n 300 /var/log/hadoop/job.log", Log("Hadoop"), "logs/Hadoop"),
            new("Grep", "cardinality", Head(SharedData.Path("grep", "semconv_grep_cardinality.txt"), 28_000), "grep/cardinality"),
            new("Bash", "gh api repos/transmission-web-control/transmission-web-control/actions/artifacts", Whole("json", "github_actions_artifacts.json"), "json/artifacts"),
            new("Read", "logs/Hadoop/README.md", Whole("logs", "Hadoop", "README.md"), "Read README (excluded)"),
            new("Bash", "git show 0005a84772d5", Whole("diffs", "semconv_0005a84772d5.diff"), "diffs/0005a8"),
            new("Bash", "curl -s https://example.test/article", Whole("html", "001", "source.html"), "html/001"),
            new("Bash", "mkdir -p out && echo ok", "ok\n", "small"),
            new("Bash", "tail -n 300 spark/executor.log", Log("Spark"), "logs/Spark"),
            new("Bash", "gh api 'search/users?q=location:berlin'", Whole("json", "github_search_users_berlin.json"), "json/search_users"),
            new("Grep", "timeout", Head(SharedData.Path("grep", "semconv_grep_timeout.txt"), 28_000), "grep/timeout"),
            new("Bash", "tail -n 300 /var/log/nova/nova-compute.log", Log("OpenStack"), "logs/OpenStack"),
            new("Bash", "git show 695e51688cbf", Whole("diffs", "semconv_695e51688cbf.diff"), "diffs/695e51"),
            new("Bash", "wc -l logs/*/*.log | tail -1", "  26000 total\n", "small"),
            new("Bash", "gh api repos/PyGithub/PyGithub/git/matching-refs/tags", Whole("json", "github_matching_refs_tags.json"), "json/matching_refs"),
            new("Bash", "journalctl -k | tail -n 300", Log("Linux"), "logs/Linux"),
            new("Grep", "k8s.pod", Head(SharedData.Path("grep", "semconv_grep_k8s.pod.txt"), 28_000), "grep/k8s.pod"),
            new("WebFetch", "https://example.test/mozilla", Whole("html", "mozilla-2", "source.html"), "html/mozilla-2"),
            new("Read", "grep/README.md", Whole("grep", "README.md"), "Read README (excluded)"),
            new("mcp__github__get_package", "pypi/pytest", Whole("json", "renovate_anaconda_pytest.json"), "json/anaconda_pytest"),
            new("Bash", "tail -n 300 /var/log/zookeeper.log", Log("Zookeeper"), "logs/Zookeeper"),
            new("Bash", "git show b825ce1b93c3", Whole("diffs", "semconv_b825ce1b93c3.diff"), "diffs/b825ce"),
            new("Bash", "tail -n 300 /var/log/apache2/error.log", Log("Apache"), "logs/Apache"),
            new("Bash", "head -5 logs/HPC/HPC_2k.log_templates.csv", Head(SharedData.Path("logs", "HPC", "HPC_2k.log_templates.csv"), 400), "small"),
            new("mcp__github__list_refs", "octokit/fixtures git-refs", Whole("json", "octokit_fixture_git-refs.json"), "json/git-refs"),
            new("Grep", "must-not", Head(SharedData.Path("grep", "semconv_grep_must-not.txt"), 28_000), "grep/must-not"),
            new("Bash", "tail -n 300 /var/log/sshd.log", Log("OpenSSH"), "logs/OpenSSH"),
            new("Bash", "git show 76112ddf3a86", Whole("diffs", "semconv_76112ddf3a86.diff"), "diffs/76112d"),
            new("WebFetch", "https://example.test/table", Whole("html", "table-style-attributes", "source.html"), "html/table-style"),
            new("Bash", "git commit -am 'Fix instrumentation'", "[main 3f2a9c1] Fix instrumentation\n 3 files changed, 41 insertions(+), 12 deletions(-)\n", "small"),
        };
        return steps.Count == Turns ? steps : throw new InvalidOperationException("the session has 30 tool calls");
    }

    /// <summary>
    /// The body with its conversation array filled from already-serialised items: the same bytes as
    /// serialising the whole tree with <see cref="Relaxed"/>, without re-serialising 30 turns of history.
    /// </summary>
    public static byte[] Compose(JsonObject shell, string conversation, IEnumerable<string> items)
    {
        var text = shell.ToJsonString(Relaxed);
        var empty = "\"" + conversation + "\":[]";
        var at = text.IndexOf(empty, StringComparison.Ordinal) + empty.Length - 1;
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), string.Join(',', items), text.AsSpan(at)));
    }

    public static string Serialize(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary>Whole lines from the start of a file (after <paramref name="skip"/> lines), under <paramref name="maxChars"/>.</summary>
    public static string Head(string path, int maxChars, int skip = 0)
    {
        var text = new StringBuilder();
        foreach (var line in File.ReadLines(path).Skip(skip))
        {
            if (text.Length + line.Length + 1 > maxChars)
            {
                break;
            }

            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
