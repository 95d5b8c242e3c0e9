using System.IO.Compression;
using System.Text;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Edge;

/// <summary>Upstream replies in a content coding, as providers and CDNs send them to clients that accept one.</summary>
internal static class EncodedReplies
{
    public static byte[] Encode(string coding, byte[] plain)
    {
        using var output = new MemoryStream();
        using (var encoder = Encoder(coding, output))
        {
            encoder.Write(plain);
        }

        return output.ToArray();
    }

    /// <summary>A JSON body in one coded chunk.</summary>
    public static UpstreamReply Json(string coding, string json) => new()
    {
        Chunks = [Encode(coding, Encoding.UTF8.GetBytes(json))],
        Headers = new Dictionary<string, string> { ["Content-Encoding"] = coding, ["Vary"] = "Accept-Encoding" },
    };

    /// <summary>An SSE stream coded as one stream, flushed after every event (as a streaming edge does).</summary>
    public static UpstreamReply Sse(string coding, string fixture)
    {
        var output = new MemoryStream();
        var encoder = Encoder(coding, output);
        var chunks = new List<byte[]>();
        var taken = 0L;
        foreach (var evt in UpstreamReply.SplitEvents(fixture))
        {
            encoder.Write(evt);
            encoder.Flush();
            chunks.Add(output.ToArray()[(int)taken..]);
            taken = output.Length;
        }

        encoder.Dispose();
        var tail = output.ToArray()[(int)taken..];
        if (tail.Length > 0)
        {
            chunks.Add(tail);
        }

        return new UpstreamReply
        {
            ContentType = "text/event-stream",
            Chunks = chunks,
            Headers = new Dictionary<string, string> { ["Content-Encoding"] = coding },
        };
    }

    public static byte[] Decode(string coding, byte[] encoded)
    {
        using var input = new MemoryStream(encoded);
        using Stream decoder = coding switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => new ZLibStream(input, CompressionMode.Decompress),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static Stream Encoder(string coding, Stream output) => coding switch
    {
        "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "gzip, br or deflate"),
    };
}
