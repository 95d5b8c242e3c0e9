using System.Text;
using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// What the upstream must receive for a body the gateway forwards unchanged except for the one
/// insertion every tool-declaring request gets: <c>headroom_retrieve</c> appended at the end of the
/// client's <c>tools</c> (so the cached prefix never changes when compression starts).
/// </summary>
internal static class ExpectedBody
{
    public static byte[] WithRetrieveTool(string body, ApiKind api) => WithRetrieveTool(Encoding.UTF8.GetBytes(body), api);

    public static byte[] WithRetrieveTool(byte[] body, ApiKind api)
    {
        var end = ToolsArrayEnd(body) ?? throw new ArgumentException("the body declares no top-level tools array", nameof(body));
        var definition = RetrieveTool.Definition(api);
        return [.. body.AsSpan(0, end - 1), (byte)',', .. definition, .. body.AsSpan(end - 1)];
    }

    public static string WithRetrieveToolText(string body, ApiKind api) => Encoding.UTF8.GetString(WithRetrieveTool(body, api));

    /// <summary>The offset just past the closing bracket of the top-level "tools" array.</summary>
    private static int? ToolsArrayEnd(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTools = reader.ValueTextEquals("tools");
            reader.Read();
            if (isTools && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
                return (int)reader.BytesConsumed;
            }

            reader.Skip();
        }

        return null;
    }
}
