using System.Text.Json.Serialization;

namespace Headroom.Gateway.LiveZone;

internal sealed record ReplayMeta(string? Compressor, string? Hash, int TokensBefore, int TokensAfter, bool Lossy);

[JsonSerializable(typeof(ReplayMeta))]
internal sealed partial class ReplayMetaContext : JsonSerializerContext;
