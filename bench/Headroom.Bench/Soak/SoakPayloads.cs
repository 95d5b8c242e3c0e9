using System.Globalization;
using System.Text;

namespace Headroom.Bench.Soak;

/// <summary>
/// One agent session's turns as Claude Code sends them: a fixed system prompt and tool list, then per turn
/// the whole history again plus one new tool call whose output (about <see cref="OutputBytes"/>) is distinct
/// across sessions and turns, and whose tool name is the session's own. Turn t carries t outputs: the newest
/// is compressed, the older ones are replayed from the gateway's caches.
/// </summary>
internal static class SoakPayloads
{
    public const int OutputBytes = 3 * 1024;

    private static readonly string Head = BuildHead();

    public static byte[] Request(long session, int turn)
    {
        var json = new StringBuilder(Head.Length + ((turn + 1) * (OutputBytes + 400)));
        json.Append(Head);
        json.Append(CultureInfo.InvariantCulture, $"{{\"role\":\"user\",\"content\":[{{\"type\":\"text\",\"text\":\"Session {session}: the nightly job is failing. Find out why.\"}}]}}");
        for (var call = 0; call <= turn; call++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"toolu_{session:x10}{call:x4}");
            var tool = ToolName(session, call);
            json.Append(CultureInfo.InvariantCulture, $",{{\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Step {call}: I look at the output.\"}},{{\"type\":\"tool_use\",\"id\":\"{id}\",\"name\":\"{tool}\",\"input\":{{\"target\":\"job-{session}\",\"step\":{call}}}}}]}}");
            json.Append(CultureInfo.InvariantCulture, $",{{\"role\":\"user\",\"content\":[{{\"type\":\"tool_result\",\"tool_use_id\":\"{id}\",\"content\":\"");
            AppendOutput(json, session, call, OutputBytes);
            json.Append("\"}]}");
        }

        json.Append("]}");
        return Encoding.ASCII.GetBytes(json.ToString());
    }

    /// <summary>A tool name per session and call (MCP-style), so per-tool tables see many names.</summary>
    public static string ToolName(long session, int call) =>
        string.Create(CultureInfo.InvariantCulture, $"mcp__jobs{session % 997}__inspect_{session}_{call}");

    public static string SessionId(long session) => string.Create(CultureInfo.InvariantCulture, $"soak-{session:x12}");

    /// <summary>At least <paramref name="bytes"/> characters, JSON-escaped: a log, JSON rows or grep hits by
    /// call (three compressors), distinct for every session and call (also the proxy bench's fresh outputs).</summary>
    internal static void AppendOutput(StringBuilder json, long session, int call, int bytes)
    {
        var start = json.Length;
        for (var line = 0; json.Length - start < bytes; line++)
        {
            var n = (session * 31) + line;
            switch (call % 3)
            {
                case 0:
                    json.Append(CultureInfo.InvariantCulture,
                        $"2026-11-22 10:{line % 60:00}:{n % 60:00}.{n % 1000:000} {(line % 17 == 5 ? "ERROR" : "INFO ")} job-{session} worker {line % 7} processed batch {n} in {(n * 7) % 900} ms\\n");
                    break;
                case 1:
                    json.Append(CultureInfo.InvariantCulture,
                        $"{(line == 0 ? "[" : ",")}{{\\\"id\\\":{n},\\\"job\\\":\\\"job-{session}\\\",\\\"status\\\":\\\"{(line % 13 == 3 ? "failed" : "ok")}\\\",\\\"ms\\\":{(n * 13) % 1000}}}");
                    break;
                default:
                    json.Append(CultureInfo.InvariantCulture,
                        $"src/jobs/Job{session % 101}/Step{line % 9}.cs:{(n % 400) + 1}:        var result{line} = await RunAsync(\\\"job-{session}\\\", {n});\\n");
                    break;
            }
        }

        if (call % 3 == 1)
        {
            json.Append(']');
        }
    }

    private static string BuildHead()
    {
        var json = new StringBuilder();
        json.Append("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16000,\"stream\":false,\"system\":[{\"type\":\"text\",\"text\":\"You are a coding agent. ");
        for (var i = 0; json.Length < 4_000; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"Rule {i}: read before you edit, keep changes small, run the tests you touched and report failures with the command. ");
        }

        json.Append("\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"tools\":[");
        foreach (var name in (string[])["Bash", "Read", "Grep"])
        {
            json.Append(CultureInfo.InvariantCulture, $"{(name == "Bash" ? "" : ",")}{{\"name\":\"{name}\",\"description\":\"Runs {name}.\",\"input_schema\":{{\"type\":\"object\",\"properties\":{{\"arg\":{{\"type\":\"string\"}}}}}}}}");
        }

        json.Append("],\"messages\":[");
        return json.ToString();
    }
}
