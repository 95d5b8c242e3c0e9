using System.Net.Http.Headers;
using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Retrieval;

/// <summary>Builds the retrieval loop's own upstream requests: the client's end-to-end headers, our body, the rules of <see cref="UpstreamHeaders"/>.</summary>
internal static class UpstreamRequests
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    public static HttpRequestMessage Create(HttpContext context, string upstream, byte[] body, ForwardedHeadersMode forwarded)
    {
        var client = context.Request;
        var uri = new Uri(upstream.TrimEnd('/') + client.Path + client.QueryString);
        // Same protocol choice as the forwarder: HTTP/2 when the upstream offers it, HTTP/1.1 otherwise.
        var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        foreach (var header in client.Headers)
        {
            if (Skipped.Contains(header.Key) || header.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
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
        UpstreamHeaders.Apply(context, message, forwarded);
        return message;
    }
}
