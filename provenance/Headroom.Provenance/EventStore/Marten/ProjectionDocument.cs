using System.Text.Json.Serialization;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>A projection's document as Marten stores it: id "type/id", the projection's own JSON inside.</summary>
internal sealed class ProjectionDocument
{
    public string Id { get; set; } = string.Empty;

    [JsonConverter(typeof(RawJsonConverter))]
    public byte[] Data { get; set; } = [];

    public static string Key(string type, string id) => type + "/" + id;
}
