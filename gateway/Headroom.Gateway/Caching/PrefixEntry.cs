using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Caching;

/// <summary>One level of a request's cacheable prefix: the tools, a system block or a message block.</summary>
/// <param name="Level">0 tools, 1 system block, 2 message block.</param>
/// <param name="Client">Hash of the bytes as the client sent them.</param>
/// <param name="Forwarded">Hash of the bytes as the gateway forwards them (live-zone splices applied).</param>
/// <param name="End">Offset in the client's body where this level ends (prefix size estimates).</param>
internal readonly record struct PrefixEntry(byte Level, int Message, int Block, int Part, ulong Client, ulong Forwarded, int End, BlockKind Kind)
{
    /// <summary>"tools", "system[0]", "message[3].block[1]" (".part[2]" inside a tool result); built only when reported.</summary>
    public string Label => Level switch
    {
        0 => "tools",
        1 => $"system[{Block}]",
        _ => Part >= 0 ? $"message[{Message}].block[{Block}].part[{Part}]" : $"message[{Message}].block[{Block}]",
    };

    public bool SamePlace(in PrefixEntry other) =>
        Level == other.Level && Message == other.Message && Block == other.Block && Part == other.Part;
}
