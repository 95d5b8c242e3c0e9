using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Caching;

/// <summary>One level of a request's cacheable prefix: the tools, a system block or a message block.</summary>
/// <param name="Label">"tools", "system[0]", "message[3].block[1]" (".part[2]" inside a tool result).</param>
/// <param name="Client">Hash of the bytes as the client sent them.</param>
/// <param name="Forwarded">Hash of the bytes as the gateway forwards them (live-zone splices applied).</param>
/// <param name="End">Offset in the client's body where this level ends (prefix size estimates).</param>
internal readonly record struct PrefixEntry(string Label, ulong Client, ulong Forwarded, int End, BlockKind Kind);
