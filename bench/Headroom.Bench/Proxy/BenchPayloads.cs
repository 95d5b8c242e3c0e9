using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Headroom.Bench.Proxy;

/// <summary>
/// Realistic Anthropic Messages traffic: a request whose newest user turn carries a <c>tool_result</c>
/// (ids and digests, nothing to compress: the plain forwarding path), padded to an exact size, and a fixed ~600-byte JSON answer with usage.
/// </summary>
internal static class BenchPayloads
{
    public static readonly byte[] Response = Encoding.UTF8.GetBytes(
        """{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"The build failed because the test project references a package version that the registry does not serve. Pin the nearest served version in Directory.Packages.props and rerun the build; the remaining warnings are unrelated."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":512,"cache_creation_input_tokens":0,"cache_read_input_tokens":1536,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":48,"service_tier":"standard"}}""");

    private const string PrefixHead = """{"model":"claude-sonnet-4-5-20250929","max_tokens":8192,"stream":""";

    private const string PrefixTail =
        ""","system":[{"type":"text","text":"You are a coding agent working in a .NET repository. Use the tools to inspect and fix the build.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"The CI build is red. Find out why and fix it."}]},{"role":"assistant","content":[{"type":"text","text":"I'll run the build to see the errors."},{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"Bash","input":{"command":"dotnet build -c Release 2>&1 | tail -n 400"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":""" + "\"";

    private const string Suffix = "\"}]}]}";

    /// <summary>An Anthropic request body of exactly <paramref name="bytes"/> bytes (ASCII, valid JSON);
    /// <paramref name="stream"/> sets <c>"stream": true</c>.</summary>
    public static byte[] Request(int bytes, bool stream = false)
    {
        var text = Start(stream, bytes);
        var room = bytes - text.Length - Suffix.Length;
        if (room < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), $"a request needs at least {text.Length + Suffix.Length} bytes");
        }

        // Unique identifiers and digests: a valid request the gateway walks, plans and accounts but finds
        // nothing to compress in, so it is forwarded byte for byte (the compressed path has its own scenario).
        AppendEntropy(text, new Random(bytes), room);
        var body = Finish(text);
        if (body.Length != bytes)
        {
            throw new InvalidOperationException("request size miscomputed");
        }

        // An invalid body would send every request down the walker's parse-failure path (an exception
        // per request, forwarded untouched) and measure that instead of the gateway's real work.
        using var parsed = JsonDocument.Parse(body);
        return body;
    }

    /// <summary>The request up to the newest <c>tool_result</c>'s content string, opened: append the
    /// output (JSON-escaped), then <see cref="Finish"/>.</summary>
    public static StringBuilder Start(bool stream, int capacity = 4096) =>
        new StringBuilder(capacity).Append(PrefixHead).Append(stream ? "true" : "false").Append(PrefixTail);

    /// <summary>Closes the tool output and the request; the body's bytes.</summary>
    public static byte[] Finish(StringBuilder text) => Encoding.ASCII.GetBytes(text.Append(Suffix).ToString());

    /// <summary>Exactly <paramref name="length"/> characters of unique identifiers and digests (lines of hex
    /// and base64, then spaces): nothing for a compressor to drop. Same random sequence, same text.</summary>
    public static void AppendEntropy(StringBuilder text, Random random, int length)
    {
        var start = text.Length;
        Span<byte> digest = stackalloc byte[24];
        while (text.Length - start + 68 <= length)
        {
            random.NextBytes(digest);
            text.Append(Convert.ToHexString(digest[..8]).ToLowerInvariant()).Append(' ').Append(Convert.ToBase64String(digest[8..]).Replace('/', '_').Replace('+', '-')).Append(' ');
            random.NextBytes(digest);
            text.Append(Convert.ToHexString(digest[..8]).ToLowerInvariant()).Append("\\n");
        }

        text.Append(' ', length - (text.Length - start));
    }

    public static string Label(int bytes) =>
        bytes >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB") : string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
}
