using System.Text;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.LiveZone;

/// <summary>The <c>headroom_retrieve</c> tool, as each provider API declares tools.</summary>
public static class RetrieveTool
{
    public const string Name = "headroom_retrieve";

    public const string Description =
        "Returns the full original text of a tool output that Headroom shortened. Some tool outputs in this conversation end with or contain a note like " +
        "[headroom: N of M lines omitted ...; full text: headroom_retrieve hash=<24 hex>] meaning those lines were left out to save context, not lost. " +
        "Call this tool with that hash when you need the omitted part.";

    private const string HashDescription = "The 24-character hex hash from the [headroom: ...] note.";

    private const string Schema =
        "{\"type\":\"object\",\"properties\":{\"hash\":{\"type\":\"string\",\"description\":\"" + HashDescription + "\"}},\"required\":[\"hash\"]}";

    private static readonly byte[] AnthropicTool = Encoding.UTF8.GetBytes(
        "{\"name\":\"" + Name + "\",\"description\":\"" + Description + "\",\"input_schema\":" + Schema + "}");

    private static readonly byte[] ChatTool = Encoding.UTF8.GetBytes(
        "{\"type\":\"function\",\"function\":{\"name\":\"" + Name + "\",\"description\":\"" + Description + "\",\"parameters\":" + Schema + "}}");

    private static readonly byte[] ResponsesTool = Encoding.UTF8.GetBytes(
        "{\"type\":\"function\",\"name\":\"" + Name + "\",\"description\":\"" + Description + "\",\"parameters\":" + Schema + ",\"strict\":false}");

    public static ReadOnlySpan<byte> Definition(ApiKind api) => api switch
    {
        ApiKind.OpenAIChat => ChatTool,
        ApiKind.OpenAIResponses => ResponsesTool,
        _ => AnthropicTool,
    };
}
