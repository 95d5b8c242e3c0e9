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

        // SHA-256 of model, 0, system, 0, first user text: one call over the bytes laid end to end (the same
        // digest as hashing them in turn, without an incremental hash object per request).
        var model = shape.Model ?? "";
        var system = shape.System is { } s ? body[s.Start..s.End] : default;
        var first = shape.FirstUserText is { } f ? body[f.Start..f.End] : default;
        var length = System.Text.Encoding.UTF8.GetByteCount(model) + 1 + system.Length + 1 + first.Length;
        byte[]? rented = null;
        var input = length <= 1024 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        var at = System.Text.Encoding.UTF8.GetBytes(model, input);
        input[at++] = 0;
        system.CopyTo(input[at..]);
        at += system.Length;
        input[at++] = 0;
        first.CopyTo(input[at..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return "h_" + Convert.ToHexStringLower(digest[..12]);
    }
}
