using Headroom.Gateway.LiveZone;

namespace Headroom.Client;

/// <summary>An <see cref="HttpRequestMessage"/>'s headers (request and content) as the live zone reads them.</summary>
internal sealed class MessageHeaders(HttpRequestMessage request) : IRequestHeaders
{
    public static IRequestHeaders None { get; } = new MessageHeaders(new HttpRequestMessage());

    public string this[string name] =>
        request.Headers.TryGetValues(name, out var values) || request.Content?.Headers.TryGetValues(name, out values) == true
            ? string.Join(",", values)
            : "";

    public bool Contains(string name) => request.Headers.Contains(name) || request.Content?.Headers.Contains(name) == true;
}
