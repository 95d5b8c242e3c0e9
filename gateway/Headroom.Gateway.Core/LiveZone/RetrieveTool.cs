using System.Text;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.LiveZone;

/// <summary>The <c>headroom_retrieve</c> tool; each protocol declares it in its own shape (<see cref="IWireProtocol.RetrieveToolDeclaration"/>).</summary>
public static class RetrieveTool
{
    public const string Name = "headroom_retrieve";

    public const string Description =
        "Returns the full original text of a tool output that Headroom shortened. Some tool outputs in this conversation end with or contain a note like " +
        "[headroom: N of M lines omitted ...; full text: headroom_retrieve hash=<24 hex>] meaning those lines were left out to save context, not lost. " +
        "Call this tool with that hash when you need the omitted part.";

    private const string HashDescription = "The 24-character hex hash from the [headroom: ...] note.";

    /// <summary>The tool's parameters as a JSON Schema object.</summary>
    internal const string Schema =
        "{\"type\":\"object\",\"properties\":{\"hash\":{\"type\":\"string\",\"description\":\"" + HashDescription + "\"}},\"required\":[\"hash\"]}";

    /// <summary>The declaration as <paramref name="api"/> declares tools.</summary>
    public static ReadOnlySpan<byte> Definition(ApiKind api) => (WireProtocols.For(api) ?? WireProtocols.For(ApiKind.AnthropicMessages)!).RetrieveToolDeclaration;

    internal static byte[] Declaration(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>
    /// The splice that appends <paramref name="definition"/> at the end of a flat <c>tools</c> array, or adds
    /// <c>"tools":[definition]</c> at the end of the root object when the request declares none.
    /// </summary>
    internal static Splice AppendToTools(ReadOnlySpan<byte> body, RequestShape shape, ReadOnlySpan<byte> definition)
    {
        if (shape.Tools is { } tools)
        {
            return AppendToArray(body, tools, definition);
        }

        var property = Encoding.UTF8.GetBytes(",\"tools\":[" + Encoding.UTF8.GetString(definition) + "]");
        return new Splice(shape.RootEnd, shape.RootEnd, property);
    }

    /// <summary>The splice that appends <paramref name="item"/> as the last element of the array at <paramref name="array"/>.</summary>
    internal static Splice AppendToArray(ReadOnlySpan<byte> body, (int Start, int End) array, ReadOnlySpan<byte> item)
    {
        // Appended after the last element: the client's own elements stay a prefix, byte for byte.
        var empty = body[(array.Start + 1)..(array.End - 1)].Trim(" \t\r\n"u8).IsEmpty;
        var insert = new byte[item.Length + (empty ? 0 : 1)];
        var at = 0;
        if (!empty)
        {
            insert[at++] = (byte)',';
        }

        item.CopyTo(insert.AsSpan(at));
        return new Splice(array.End - 1, array.End - 1, insert);
    }
}
