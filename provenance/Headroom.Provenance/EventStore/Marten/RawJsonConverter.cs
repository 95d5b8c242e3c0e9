using System.Text.Json;
using System.Text.Json.Serialization;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>Writes a projection's JSON into Marten's document as it is, and reads it back as bytes: no parse, no copy into a DOM.</summary>
internal sealed class RawJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value, skipInputValidation: true);
}
