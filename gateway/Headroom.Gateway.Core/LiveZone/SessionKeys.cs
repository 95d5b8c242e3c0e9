using System.Security.Cryptography;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Which conversation a request belongs to: the client's own session header when it sends one
/// (<c>x-headroom-session-id</c>, Claude Code's <c>X-Claude-Code-Session-Id</c>, Codex's
/// <c>session-id</c>), else a stable hash of model + system prompt + first user message.
/// </summary>
public static class SessionKeys
{
    private static readonly string[] Headers = ["x-headroom-session-id", "x-claude-code-session-id", "session-id"];

    public static string Resolve(IRequestHeaders headers, ReadOnlySpan<byte> body, RequestShape shape)
    {
        foreach (var name in Headers)
        {
            if (headers[name] is { Length: > 0 and <= 200 } id)
            {
                return id;
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(shape.Model ?? ""));
        hash.AppendData([0]);
        if (shape.System is { } system)
        {
            hash.AppendData(body[system.Start..system.End]);
        }

        hash.AppendData([0]);
        if (shape.FirstUserText is { } first)
        {
            hash.AppendData(body[first.Start..first.End]);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return "h_" + Convert.ToHexStringLower(digest[..12]);
    }
}
