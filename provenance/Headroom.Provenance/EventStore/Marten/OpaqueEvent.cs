using System.Text.Json;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// An appended event whose type this version has no class for (another feature's, or a newer writer's):
/// Marten stores it under <see cref="Alias"/>, keeping the caller's type name and JSON as they were.
/// </summary>
internal sealed record OpaqueEvent(string Type, JsonElement Data)
{
    public const string Alias = "opaque_event";
}
