using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// The model's side of one Gemini CLI run, as a Gemini 3 model streams it: a thought summary, then a function
/// call carrying a <c>thoughtSignature</c>. It decides from what each request holds, not from its position.
/// </summary>
public sealed class GeminiSessionScript(string model)
{
    public const string ShellTool = "run_shell_command";
    public const string FirstCommand = "cat server.log";
    public const string SecondCommand = "cat other.log";
    public const string FirstSignature = "CiQBjz1rX0ZpcnN0U2hlbGxDYWxsVGhvdWdodFNpZ25hdHVyZQ==";
    public const string RetrieveSignature = "CiQBjz1rX1JldHJpZXZlQ2FsbFRob3VnaHRTaWduYXR1cmU=";
    public const string SecondSignature = "CiQBjz1rX1NlY29uZFNoZWxsQ2FsbFRob3VnaHRTaWduYXR1cmU=";
    public const string FinalText = "done";

    /// <summary>Each request the model was sent, the step it was taken for, and the marker hash it asked for.</summary>
    public ConcurrentQueue<(GeminiStep Step, RecordedRequest Request, string? Hash)> Seen { get; } = new();

    public GeminiReply Answer(RecordedRequest request)
    {
        var (step, hash) = Recognise(request.Body);
        Seen.Enqueue((step, request, hash));
        var id = $"resp-{Seen.Count:D2}";
        return step switch
        {
            GeminiStep.Prompt => GeminiReply.Stream(model, id, Thought("**Reading the server log**\n\nI'll read server.log first."), Call(ShellTool, "command", FirstCommand, FirstSignature)),
            GeminiStep.FirstOutput when hash is not null => GeminiReply.Stream(model, id, Thought("**Fetching the omitted lines**\n\nSome lines were left out; I'll get them."), Call(GeminiWire.RetrieveTool, "hash", hash, RetrieveSignature)),
            GeminiStep.FirstOutput or GeminiStep.RetrieveAnswer => GeminiReply.Stream(model, id, Thought("**Checking the other log**\n\nNow other.log."), Call(ShellTool, "command", SecondCommand, SecondSignature)),
            GeminiStep.SecondOutput => GeminiReply.Stream(model, id, [new JsonObject { ["text"] = "do" }], [new JsonObject { ["text"] = "ne" }]),
            _ => GeminiReply.Error(400, "unscripted request: the scripted model has no answer for it"),
        };
    }

    private static (GeminiStep Step, string? Hash) Recognise(byte[] body)
    {
        using var document = GeminiWire.Parse(body);
        var last = GeminiWire.ContentCount(document) - 1;
        var responses = GeminiWire.FunctionResponses(document);
        if (responses.Any(r => r.Content == last && r.Name == GeminiWire.RetrieveTool))
        {
            return (GeminiStep.RetrieveAnswer, null);
        }

        var shell = responses.Where(r => r.Name == ShellTool).ToList();
        if (shell.Count == 0)
        {
            return last == 0 ? (GeminiStep.Prompt, null) : (GeminiStep.Unscripted, null);
        }

        if (shell[^1].Content != last)
        {
            return (GeminiStep.Unscripted, null);
        }

        if (shell.Count == 1)
        {
            var marker = GeminiWire.Marker().Match(GeminiWire.Output(shell[0].Part) ?? "");
            return (GeminiStep.FirstOutput, marker.Success ? marker.Groups["hash"].Value : null);
        }

        return shell.Count == 2 ? (GeminiStep.SecondOutput, null) : (GeminiStep.Unscripted, null);
    }

    private static JsonArray Thought(string text) => [new JsonObject { ["text"] = text, ["thought"] = true }];

    private static JsonArray Call(string name, string argument, string value, string signature) =>
    [
        new JsonObject
        {
            ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = new JsonObject { [argument] = value } },
            ["thoughtSignature"] = signature,
        },
    ];
}
