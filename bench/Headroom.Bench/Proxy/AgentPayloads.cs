using System.Globalization;
using System.Text;

namespace Headroom.Bench.Proxy;

/// <summary>
/// A realistic agent turn for the compressed-path scenario: an Anthropic request of about 47 KB whose
/// history carries five tool outputs of 8 KB each (tool_use / tool_result pairs, the newest last), and
/// the same shape whose outputs the gateway finds nothing to compress in. Plus the streamed answer.
/// </summary>
internal static class AgentPayloads
{
    public const int OutputBytes = 8 * 1024;
    public const int Outputs = 5;

    /// <summary>A 47 KB request. <paramref name="compressible"/>: build-log outputs (lossy-compressed, then
    /// replayed); otherwise high-entropy outputs (ids and digests) every compressor keeps as they are.</summary>
    public static byte[] Request(bool compressible, bool stream)
    {
        var json = new StringBuilder(48 * 1024);
        json.Append("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16000,\"stream\":").Append(stream ? "true" : "false");
        json.Append(",\"system\":[{\"type\":\"text\",\"text\":\"You are a coding agent working in a .NET repository. ");
        for (var i = 0; json.Length < 6_000; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"Rule {i}: read the files before you edit them, keep changes small, run the tests of the project you touched and report what failed with the command that reproduces it. ");
        }

        json.Append("\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"The CI build is red. Find out why and fix it.\"}]}");
        for (var call = 0; call < Outputs; call++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"toolu_01A09q90qw90lq91783{call}lq9");
            json.Append(CultureInfo.InvariantCulture, $",{{\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Step {call}: next I look at the output.\"}},{{\"type\":\"tool_use\",\"id\":\"{id}\",\"name\":\"Bash\",\"input\":{{\"command\":\"dotnet build -c Release src/Project{call} 2>&1 | tail -n 200\"}}}}]}}");
            json.Append(CultureInfo.InvariantCulture, $",{{\"role\":\"user\",\"content\":[{{\"type\":\"tool_result\",\"tool_use_id\":\"{id}\",\"content\":\"{(compressible ? LogOutput(call) : EntropyOutput(call))}\"}}]}}");
        }

        json.Append("]}");
        return Encoding.ASCII.GetBytes(json.ToString());
    }

    /// <summary>8 KB of build warnings: the log compressor shortens them and leaves a marker.</summary>
    private static string LogOutput(int call)
    {
        var text = new StringBuilder(OutputBytes);
        for (var line = 0; ; line++)
        {
            var next = string.Create(CultureInfo.InvariantCulture,
                $"  [{line % 60:00}:{line % 7:00}.{line % 1000:000}] src/Project{call}/File{line % 97}.cs({line % 400},{line % 80}): warning CS8602: Dereference of a possibly null reference. [/work/src/Project{call}/Project{call}.csproj]\\n");
            if (text.Length + next.Length > OutputBytes)
            {
                return text.Append(' ', OutputBytes - text.Length).ToString();
            }

            text.Append(next);
        }
    }

    /// <summary>8 KB of unique identifiers and digests: nothing for a compressor to drop.</summary>
    private static string EntropyOutput(int call)
    {
        var text = new StringBuilder(OutputBytes);
        BenchPayloads.AppendEntropy(text, new Random(call), OutputBytes);
        return text.ToString();
    }

    /// <summary>The streamed answer's first event, sent before the upstream pauses.</summary>
    public static readonly byte[] StreamHead = Encoding.UTF8.GetBytes(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":512,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":11536,\"output_tokens\":1}}}\n\n");

    /// <summary>The rest of the streamed answer: one text block in 200 deltas (about 25 KB), then the closing events.</summary>
    public static readonly byte[] StreamTail = BuildTail();

    public static int StreamLength => StreamHead.Length + StreamTail.Length;

    private static byte[] BuildTail()
    {
        var sse = new StringBuilder();
        sse.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        sse.Append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (var i = 0; i < 200; i++)
        {
            sse.Append(CultureInfo.InvariantCulture, $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"part {i} of the answer: the build fails on a package version \"}}}}\n\n");
        }

        sse.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sse.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":410}}\n\n");
        sse.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }
}
