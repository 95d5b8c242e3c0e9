using System.Text.Json.Serialization;

namespace Headroom.Gateway.LiveZone;

[JsonSerializable(typeof(ReplayMeta))]
internal sealed partial class ReplayMetaContext : JsonSerializerContext;
