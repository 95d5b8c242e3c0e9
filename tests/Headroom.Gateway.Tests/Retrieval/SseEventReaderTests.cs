using System.Text;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>The event reader finds the same events however the upstream's bytes are cut into reads.</summary>
public sealed class SseEventReaderTests
{
    private const string Stream =
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
        + ": a comment line\r\nevent:  content_block_delta \r\ndata: {\"a\":\r\ndata:1}\r\n\r\n"
        + "data: [DONE]\n\n"
        + "event: ping\rdata: {}\r\r"
        + "data: {\"partial\":";

    /// <summary>A stream that hands out at most <c>size</c> bytes per read.</summary>
    private sealed class Trickle(byte[] bytes, int size) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(size, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100_000)]
    public async Task AnyCut_YieldsTheSameEvents_RawBytesConcatenateToTheStream(int readSize)
    {
        using var reader = new SseEventReader(new Trickle(Encoding.UTF8.GetBytes(Stream), readSize));
        var raw = new StringBuilder();
        var events = new List<(string? Name, string Data, bool View)>();
        while (await reader.NextAsync(CancellationToken.None) is { IsEmpty: false } ev)
        {
            raw.Append(Encoding.UTF8.GetString(ev.Raw.Span));
            events.Add((ev.NameString, Encoding.UTF8.GetString(ev.Data.Span), ev.DataOffset >= 0));
        }

        Assert.Equal(Stream, raw.ToString());
        Assert.Equal(
        [
            ("message_start", "{\"type\":\"message_start\"}", true),
            ("content_block_delta", "{\"a\":\ndata:1}".Replace("data:", "", StringComparison.Ordinal), false),
            (null, "[DONE]", true),
            ("ping", "{}", true),
            (null, "{\"partial\":", true),
        ], events);
    }
}
