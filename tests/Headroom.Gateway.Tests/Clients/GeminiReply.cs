using System.Text;
using System.Text.Json.Nodes;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>What the scripted Gemini API answers: a status, a content type and the body as chunks sent one by one.</summary>
public sealed record GeminiReply(int Status, string ContentType, IReadOnlyList<byte[]> Chunks)
{
    /// <summary>
    /// A <c>streamGenerateContent?alt=sse</c> answer: one <c>data: {GenerateContentResponse}</c> event per chunk,
    /// CRLF-separated as Google sends them, no <c>[DONE]</c>; the last carries <c>finishReason</c> and usage.
    /// </summary>
    public static GeminiReply Stream(string model, string responseId, params JsonArray[] partsPerEvent)
    {
        var chunks = new List<byte[]>();
        for (var i = 0; i < partsPerEvent.Length; i++)
        {
            var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = partsPerEvent[i], ["role"] = "model" } };
            if (i == partsPerEvent.Length - 1)
            {
                candidate["finishReason"] = "STOP";
            }

            candidate["index"] = 0;
            var response = new JsonObject
            {
                ["candidates"] = new JsonArray(candidate),
                ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 9000, ["candidatesTokenCount"] = 12 + i, ["totalTokenCount"] = 9012 + i },
                ["modelVersion"] = model,
                ["responseId"] = responseId,
            };
            chunks.Add(Encoding.UTF8.GetBytes("data: " + response.ToJsonString() + "\r\n\r\n"));
        }

        return new GeminiReply(200, "text/event-stream", chunks);
    }

    /// <summary>A Google API error (status not retried by the CLI, so an unscripted request ends the run at once).</summary>
    public static GeminiReply Error(int status, string message)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = "INVALID_ARGUMENT" } };
        return new GeminiReply(status, "application/json", [Encoding.UTF8.GetBytes(error.ToJsonString())]);
    }
}
