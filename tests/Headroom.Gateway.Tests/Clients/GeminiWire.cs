using System.Text.Json;
using System.Text.RegularExpressions;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// Reads a Gemini <c>generateContent</c> request body as the test's own oracle (it shares no code with the
/// gateway's walker): function calls and responses in <c>contents</c>, declared functions, raw member bytes.
/// </summary>
public static partial class GeminiWire
{
    public const string RetrieveTool = "headroom_retrieve";

    /// <summary>A Headroom marker, loosely: whatever the wording, it ends with the 24-hex hash.</summary>
    [GeneratedRegex(@"\[headroom: [^\[\]]*hash=(?<hash>[0-9a-f]{24})\]", RegexOptions.CultureInvariant)]
    public static partial Regex Marker();

    public static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);

    /// <summary>Every part of every content, with the content's index and role.</summary>
    public static IEnumerable<(int Content, string Role, JsonElement Part)> Parts(JsonDocument body)
    {
        if (!body.RootElement.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var index = 0;
        foreach (var content in contents.EnumerateArray())
        {
            var role = content.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            if (content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    yield return (index, role, part);
                }
            }

            index++;
        }
    }

    public static int ContentCount(JsonDocument body) =>
        body.RootElement.TryGetProperty("contents", out var contents) && contents.ValueKind == JsonValueKind.Array ? contents.GetArrayLength() : 0;

    /// <summary>The <c>functionResponse</c> parts, in order: the part itself and the function's name.</summary>
    public static List<(int Content, JsonElement Part, string Name)> FunctionResponses(JsonDocument body) =>
        Parts(body).Where(p => p.Part.TryGetProperty("functionResponse", out _))
            .Select(p => (p.Content, p.Part, Name(p.Part.GetProperty("functionResponse")))).ToList();

    public static List<(int Content, JsonElement Part, string Name)> FunctionCalls(JsonDocument body) =>
        Parts(body).Where(p => p.Part.TryGetProperty("functionCall", out _))
            .Select(p => (p.Content, p.Part, Name(p.Part.GetProperty("functionCall")))).ToList();

    /// <summary><c>functionResponse.response.output</c>, where Gemini CLI puts a tool's result.</summary>
    public static string? Output(JsonElement part) =>
        part.TryGetProperty("functionResponse", out var response) && response.TryGetProperty("response", out var inner) &&
        inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String
            ? output.GetString()
            : null;

    /// <summary>All string values under <c>functionResponse.response</c>, whatever the keys (output, content, result...).</summary>
    public static List<string> ResponseStrings(JsonElement part)
    {
        var found = new List<string>();
        if (part.TryGetProperty("functionResponse", out var response) && response.TryGetProperty("response", out var inner))
        {
            Collect(inner, found);
        }

        return found;
    }

    /// <summary>The names in <c>tools[*].functionDeclarations[*]</c>.</summary>
    public static List<string> DeclaredFunctions(JsonDocument body)
    {
        var names = new List<string>();
        if (body.RootElement.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("functionDeclarations", out var declarations) && declarations.ValueKind == JsonValueKind.Array)
                {
                    names.AddRange(declarations.EnumerateArray().Select(Name));
                }
            }
        }

        return names;
    }

    /// <summary>A top-level member's value exactly as it was written (JsonElement keeps the source text), or null.</summary>
    public static string? Raw(JsonDocument body, string member) =>
        body.RootElement.TryGetProperty(member, out var value) ? value.GetRawText() : null;

    private static string Name(JsonElement element) =>
        element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "";

    private static void Collect(JsonElement element, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                found.Add(element.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    Collect(member.Value, found);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }

                break;
        }
    }
}
