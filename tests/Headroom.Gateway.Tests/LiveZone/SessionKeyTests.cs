using System.Security.Cryptography;
using System.Text;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>
/// A session without a session header is keyed by a hash of its model, system prompt and first user message.
/// The key names the session's marks and TTL decision in the persisted decision store, so it must come out the
/// same in every release: these tests compute it apart, the way it was first defined (an incremental SHA-256).
/// </summary>
public sealed class SessionKeyTests
{
    private sealed class NoHeaders : IRequestHeaders
    {
        public string this[string name] => "";

        public bool Contains(string name) => false;
    }

    private static string Expected(byte[] body, RequestShape shape)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(shape.Model ?? ""));
        hash.AppendData([0]);
        if (shape.System is { } system)
        {
            hash.AppendData(body.AsSpan(system.Item1, system.Item2 - system.Item1));
        }

        hash.AppendData([0]);
        if (shape.FirstUserText is { } first)
        {
            hash.AppendData(body.AsSpan(first.Item1, first.Item2 - first.Item1));
        }

        return "h_" + Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 12));
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4-5","system":"You are terse.","messages":[{"role":"user","content":"why does the build fail?"}]}""")]
    [InlineData("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"no system prompt, \u00e9"}]}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"no model, no user text"}]}""")]
    public void Resolve_WithoutASessionHeader_IsTheSha256OfModelSystemAndFirstUserText(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var shape = RequestWalker.Walk(body, ApiKind.AnthropicMessages)!;

        Assert.Equal(Expected(body, shape), SessionKeys.Resolve(new NoHeaders(), body, shape));
    }

    [Fact]
    public void Resolve_WithASystemPromptLongerThanTheStackBuffer_HashesAllOfIt()
    {
        var system = new string('s', 5000);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"m","system":"{{system}}","messages":[{"role":"user","content":"hi"}]}""");
        var other = Encoding.UTF8.GetBytes($$"""{"model":"m","system":"{{system[..^1]}}t","messages":[{"role":"user","content":"hi"}]}""");
        var shape = RequestWalker.Walk(body, ApiKind.AnthropicMessages)!;

        Assert.Equal(Expected(body, shape), SessionKeys.Resolve(new NoHeaders(), body, shape));
        Assert.NotEqual(SessionKeys.Resolve(new NoHeaders(), body, shape), SessionKeys.Resolve(new NoHeaders(), other, RequestWalker.Walk(other, ApiKind.AnthropicMessages)!));
    }

    [Fact]
    public void Resolve_ForAFixedRequest_IsTheKeyEarlierReleasesStored() // the value the incremental-hash implementation returned
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","system":"You are terse.","messages":[{"role":"user","content":"why does the build fail?"}]}""");

        Assert.Equal("h_b7021a0b2f7b9cf457bdf07b", SessionKeys.Resolve(new NoHeaders(), body, RequestWalker.Walk(body, ApiKind.AnthropicMessages)!));
    }
}
