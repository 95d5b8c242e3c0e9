using System.IO.Compression;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Reads a response body in its <c>Content-Encoding</c> (RFC 9110 §8.4): where the gateway must
/// read a stream (the usage tap, the retrieval loop), it decodes a copy; the YARP path forwards
/// the compressed bytes to the client untouched.
/// </summary>
internal static class ContentCoding
{
    /// <summary>A decoding view of <paramref name="source"/>, or null for identity or a coding it does not know.</summary>
    public static Stream? Decode(Stream source, string? encoding) => Normalize(encoding) switch
    {
        "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
        "br" => new BrotliStream(source, CompressionMode.Decompress),
        // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2).
        "deflate" => new ZLibStream(source, CompressionMode.Decompress),
        _ => null,
    };

    public static bool IsKnown(string? encoding) => Normalize(encoding) is "gzip" or "x-gzip" or "br" or "deflate";

    private static string Normalize(string? encoding) => (encoding ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Replaces a coded response body with its decoded form (dropping <c>Content-Encoding</c> and
    /// <c>Content-Length</c>), so the retrieval loop reads and relays plain JSON or SSE.
    /// </summary>
    public static void DecodeInPlace(HttpResponseMessage response)
    {
        var codings = response.Content.Headers.ContentEncoding;
        if (codings.Count != 1 || !IsKnown(codings.First()))
        {
            return;
        }

        var coding = codings.First();
        response.Content = new WrappedContent(response.Content, source => Decode(source, coding)!, "Content-Encoding", "Content-Length");
    }
}
