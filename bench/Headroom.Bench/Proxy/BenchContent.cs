using System.Globalization;
using System.Net.Http.Headers;

namespace Headroom.Bench.Proxy;

/// <summary>
/// One request body and the headers that say what it is, sendable any number of times (one send at a
/// time). The headers ride on the content (custom headers are allowed there), so every runner sends a
/// request the same way: <c>x-bench-reply: sse</c> asks the scripted upstream to stream its answer;
/// <c>X-Claude-Code-Session-Id</c> keeps a shape in its own session; <c>x-bench-tag</c> and
/// <c>x-bench-sent</c> let the upstream tally, per tag, what the gateway forwarded against what was sent.
/// </summary>
internal sealed class BenchContent : ByteArrayContent
{
    public const string ReplyHeader = "x-bench-reply";
    public const string TagHeader = "x-bench-tag";
    public const string SentHeader = "x-bench-sent";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public BenchContent(byte[] body, bool stream = false, string? session = null, string? tag = null)
        : base(body)
    {
        Length = body.Length;
        Stream = stream;
        Headers.ContentType = Json;
        Headers.ContentLength = body.Length;
        Add(ReplyHeader, stream ? "sse" : null);
        Add("X-Claude-Code-Session-Id", session);
        Add(TagHeader, tag);
        Add(SentHeader, tag is null ? null : body.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Bytes of the body as the bench sends it.</summary>
    public int Length { get; }

    /// <summary>The upstream streams its answer (<see cref="AgentPayloads.StreamHead"/> + tail) instead of JSON.</summary>
    public bool Stream { get; }

    /// <summary>Length of a complete answer from the scripted upstream, byte for byte.</summary>
    public int ExpectedResponseBytes => Stream ? AgentPayloads.StreamLength : BenchPayloads.Response.Length;

    private void Add(string name, string? value)
    {
        if (value is not null && !Headers.TryAddWithoutValidation(name, value))
        {
            throw new InvalidOperationException($"header {name} cannot travel on a request content");
        }
    }
}
