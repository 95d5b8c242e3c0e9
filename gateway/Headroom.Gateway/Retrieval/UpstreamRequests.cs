using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Retrieval;

/// <summary>Builds the retrieval loop's own upstream requests: the client's headers, our body.</summary>
internal static class UpstreamRequests
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Proxy-Connection", "TE", "Trailer",
        // The loop reads the responses itself, so it asks for them uncompressed.
        "Accept-Encoding",
    };

    public static HttpRequestMessage Create(HttpRequest client, string upstream, byte[] body)
    {
        var uri = new Uri(upstream.TrimEnd('/') + client.Path + client.QueryString);
        var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body), Version = System.Net.HttpVersion.Version11 };
        foreach (var header in client.Headers)
        {
            if (Skipped.Contains(header.Key) || header.Key.StartsWith("x-headroom-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        message.Content.Headers.ContentType ??= new MediaTypeHeaderValue("application/json");
        return message;
    }
}
