using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.Gemini;

/// <summary>
/// Gemini's stream (<c>alt=sse</c>) in the retrieval loop. Every event is a whole
/// GenerateContentResponse and there is no closing event, so: events go out as their bytes until one
/// names our tool; from there the round's events are held. When the round ends with only our calls,
/// the model's content (every part of the round, thought signatures included) and the originals
/// continue the conversation upstream and the continuation's events follow in the same stream, their
/// <c>usageMetadata</c> summed with the rounds before. Otherwise the held events go out without our
/// parts.
/// </summary>
internal sealed class GeminiStreamRetrieval : IStreamRetrieval
{
    public static GeminiStreamRetrieval Instance { get; } = new();

    private static ReadOnlySpan<byte> OurName => "headroom_retrieve"u8;

    public async Task<string?> RunAsync(RetrievalRun run, HttpResponseMessage first)
    {
        await run.StartStreamAsync(first).ConfigureAwait(false);
        using var writer = new RelayWriter(run.ClientBody);
        var before = TokenUsage.Empty;
        var response = first;
        for (var round = 0; ; round++)
        {
            var usage = new UsageAccumulator();
            var events = new List<byte[]>();
            var held = new List<SseEvent>();
            using (var reader = new SseEventReader(await response.Content.ReadAsStreamAsync(run.Aborted).ConfigureAwait(false)))
            {
                while (true)
                {
                    if (!reader.TryNext(out var ev))
                    {
                        await writer.FlushAsync(run.Aborted).ConfigureAwait(false);
                        if (!await reader.ReadMoreAsync(run.Aborted).ConfigureAwait(false))
                        {
                            break;
                        }

                        continue;
                    }

                    usage.Observe(ev.Data.Span);
                    events.Add(ev.Data.ToArray());
                    if (held.Count == 0 && ev.Data.Span.IndexOf(OurName) < 0)
                    {
                        writer.Add(round == 0 ? ev.Raw.Span : Summed(ev.Data.Span, before, null));
                        continue;
                    }

                    held.Add(ev.Detach());
                }
            }

            if (held.Count == 0)
            {
                await writer.FlushAsync(run.Aborted).ConfigureAwait(false);
                return null;
            }

            var total = before.Add(usage.Usage ?? TokenUsage.Empty);
            var parts = events.SelectMany(e => PartsOf(JsonNode.Parse(e))).ToList();
            var ours = parts.Where(IsOurs).ToList();
            var clientCalls = parts.Any(p => p?["functionCall"] is not null && !IsOurs(p));
            byte[]? next = null;
            if (ours.Count > 0 && !clientCalls && round < RetrievalRun.MaxRounds)
            {
                var calls = ours.Select(p => new TurnItem(0, 0, true, true, p!["functionCall"]!["id"]?.GetValue<string>(), HashOf(p))).ToList();
                var answers = await run.AnswerAsync(calls).ConfigureAwait(false);
                var turnJson = Encoding.UTF8.GetBytes(new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(parts.Select(p => p?.DeepClone()).ToArray()) }.ToJsonString());
                next = TurnEditor.Continue(run.Body, run.Api, turnJson, new ModelTurn { Turn = (0, turnJson.Length), Items = [] }, answers);
                if (next is not null)
                {
                    run.Continuing(calls.Count, round + 1);
                }
            }
            else if (ours.Count > 0 && clientCalls)
            {
                run.MixedCalls();
            }

            if (next is null)
            {
                // The client gets the round's held events without our calls, usage summed over every round.
                foreach (var ev in held)
                {
                    if (Summed(ev.Data.Span, before, total, removeOurs: true) is { Length: > 0 } bytes)
                    {
                        writer.Add(bytes);
                    }
                }

                await writer.FlushAsync(run.Aborted).ConfigureAwait(false);
                return null;
            }

            await writer.FlushAsync(run.Aborted).ConfigureAwait(false);
            run.Body = next;
            before = total;
            if (!ReferenceEquals(response, first))
            {
                response.Dispose();
            }

            if (await run.ContinueStreamAsync(round + 1).ConfigureAwait(false) is not { } continued)
            {
                return "continuation_failed";
            }

            response = continued;
        }
    }

    private static IEnumerable<JsonNode?> PartsOf(JsonNode? response) =>
        response?["candidates"]?[0]?["content"]?["parts"] is JsonArray parts ? parts : [];

    private static bool IsOurs(JsonNode? part) => part?["functionCall"]?["name"]?.GetValue<string>() == RetrieveTool.Name;

    private static string HashOf(JsonNode? part) =>
        part?["functionCall"]?["args"] is JsonObject args ? ResponseInspector.HashFrom(Encoding.UTF8.GetBytes(args.ToJsonString())) : "";

    /// <summary>
    /// The event re-framed with <c>usageMetadata</c> counting the rounds before (<paramref name="total"/>
    /// when known), and without our parts when <paramref name="removeOurs"/>; empty when nothing is left to send.
    /// </summary>
    private static byte[] Summed(ReadOnlySpan<byte> json, TokenUsage before, TokenUsage? total, bool removeOurs = false)
    {
        var data = JsonNode.Parse(json)!;
        if (removeOurs && data["candidates"]?[0]?["content"]?["parts"] is JsonArray parts)
        {
            for (var i = parts.Count - 1; i >= 0; i--)
            {
                if (IsOurs(parts[i]))
                {
                    parts.RemoveAt(i);
                }
            }

            if (parts.Count == 0 && data["candidates"]?[0]?["finishReason"] is null && data["usageMetadata"] is null)
            {
                return [];
            }
        }

        if (data["usageMetadata"] is JsonObject)
        {
            var own = new UsageAccumulator();
            own.Observe(json);
            var sum = total ?? before.Add(own.Usage ?? TokenUsage.Empty);
            data["usageMetadata"] = JsonNode.Parse(GeminiProtocol.Instance.UsageJson(sum));
        }

        return Encoding.UTF8.GetBytes("data: " + data.ToJsonString() + "\r\n\r\n");
    }
}
