using System.Text.Json;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>A projection's document as Marten stores it: id "type/id", the projection's own JSON inside.</summary>
internal sealed class ProjectionDocument
{
    public string Id { get; set; } = string.Empty;

    public JsonElement Data { get; set; }

    public static string Key(string type, string id) => type + "/" + id;
}
