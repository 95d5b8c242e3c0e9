using System.Text;
using System.Text.Json;
using Headroom.Compressors.Markers;

namespace Headroom.Client.Tests;

/// <summary>What the scripted conversations share: a large service log as a tool output, its hash, a fresh data directory.</summary>
internal static class ToolOutputs
{
    /// <summary>400 lines of a service log with one failure in the middle: the log compressor cuts it and leaves a marker.</summary>
    public static readonly string Log = BuildLog();

    public static readonly string Hash = ContentHash.Compute(Log);

    public const string Failure = "ERROR nova.compute.manager [req-7f3a] Instance 3edec1e4 failed to spawn: No valid host was found";

    public static HeadroomClientOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        // A cold process JIT-compiles the compressors on the first output; the default 50 ms budget
        // would forward it uncompressed (fail open), which these tests are not about.
        Compression = new Headroom.Gateway.LiveZone.CompressionOptions { TimeBudgetMs = 30_000 },
    };

    public static string NewDataDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "headroom-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The raw JSON token of the first tool output in a request body (as the upstream received it).</summary>
    public static string RawToolOutput(byte[] body, Func<JsonElement, JsonElement?> find)
    {
        using var doc = JsonDocument.Parse(body);
        return find(doc.RootElement) is { } e ? e.GetRawText() : throw new InvalidOperationException("the request carries no tool output: " + Encoding.UTF8.GetString(body));
    }

    private static string BuildLog()
    {
        var lines = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var time = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc).AddSeconds(i * 7);
            lines.Add(i == 211
                ? $"{time:yyyy-MM-dd HH:mm:ss.fff} 2931 {Failure}"
                : $"{time:yyyy-MM-dd HH:mm:ss.fff} 2931 INFO nova.osapi_compute.wsgi.server [req-{i:x4}] 10.11.10.1 \"GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1\" status: 200 len: {1800 + i % 17} time: 0.{2000 + i * 3 % 900}");
        }

        return string.Join('\n', lines);
    }
}
