using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Headroom.Gateway.Retrieval;

/// <summary>Writes the conversation items a protocol appends to continue a request: raw bytes and JSON strings.</summary>
internal sealed class ContinuationWriter
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer;

    public ContinuationWriter(int capacity) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>A JSON string token holding <paramref name="text"/>.</summary>
    public void String(string text)
    {
        using var w = new Utf8JsonWriter(_buffer, Relaxed);
        w.WriteStringValue(text);
    }
}

/// <summary>A small JSON object written by a protocol (a usage object in its own field names).</summary>
internal static class JsonObjectBytes
{
    public static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
