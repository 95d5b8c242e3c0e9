using System.Text;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>A scripted provider answer: status, headers and the body as chunks written one by one.</summary>
public sealed record UpstreamReply
{
    public int Status { get; init; } = 200;
    public string ContentType { get; init; } = "application/json";
    public IReadOnlyList<byte[]> Chunks { get; init; } = [];
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Before writing chunk N (key), wait until the gate completes.</summary>
    public IReadOnlyDictionary<int, Task> GatesBeforeChunk { get; init; } = new Dictionary<int, Task>();

    /// <summary>After writing this many chunks, reset the connection.</summary>
    public int? AbortAfterChunks { get; init; }

    /// <summary>Wait for this before the reset, so the client can be shown to have the earlier bytes.</summary>
    public Task? GateBeforeAbort { get; init; }

    public TimeSpan DelayBeforeHeaders { get; init; }

    public static UpstreamReply Json(string body, int status = 200) =>
        new() { Status = status, Chunks = [Encoding.UTF8.GetBytes(body)] };

    /// <summary>An SSE fixture, one chunk per event (split after each blank line).</summary>
    public static UpstreamReply Sse(string fixture) =>
        new() { ContentType = "text/event-stream", Chunks = SplitEvents(fixture) };

    public static IReadOnlyList<byte[]> SplitEvents(string fixture)
    {
        var chunks = new List<byte[]>();
        var start = 0;
        while (start < fixture.Length)
        {
            var end = fixture.IndexOf("\n\n", start, StringComparison.Ordinal);
            end = end < 0 ? fixture.Length : end + 2;
            chunks.Add(Encoding.UTF8.GetBytes(fixture[start..end]));
            start = end;
        }

        return chunks;
    }

    public byte[] AllBytes() => Chunks.SelectMany(c => c).ToArray();
}
