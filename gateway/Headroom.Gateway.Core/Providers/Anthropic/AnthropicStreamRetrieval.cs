using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.Retrieval;
using TokenUsage = Headroom.Gateway.Telemetry.TokenUsage;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic's stream in the retrieval loop: content blocks relayed as they come with block indices
/// kept consecutive across rounds; our <c>tool_use</c> block and the turn's closing
/// <c>message_delta</c> are held back, and a continuation's blocks follow in the same message.
/// </summary>
internal sealed class AnthropicStreamRetrieval : IStreamRetrieval
{
    public static AnthropicStreamRetrieval Instance { get; } = new();

    public async Task<string?> RunAsync(RetrievalRun run, HttpResponseMessage first)
    {
        await run.StartStreamAsync(first).ConfigureAwait(false);
        var relay = new AnthropicStreamRelay();
        using var writer = new RelayWriter(run.ClientBody);
        var total = TokenUsage.Empty;
        var response = first;
        for (var round = 0; ; round++)
        {
            using var reader = new SseEventReader(await response.Content.ReadAsStreamAsync(run.Aborted).ConfigureAwait(false));
            using var r = await relay.RelayAsync(reader, writer, round, lastRound: round >= RetrievalRun.MaxRounds, run.Aborted).ConfigureAwait(false);
            total = total.Add(r.Usage.Usage ?? TokenUsage.Empty);
            var held = r.Held.Count;
            if (held == 0 || r.ClientCalls || round >= RetrievalRun.MaxRounds || !r.Finished)
            {
                if (held > 0 && r.ClientCalls)
                {
                    run.MixedCalls();
                }

                await FinishAsync(run.ClientBody, r.PendingDelta, round > 0 || held > 0 ? total : null, held > 0 && !r.ClientCalls, r.Finished, run.Aborted).ConfigureAwait(false);
                return r.Finished ? null : run.StreamFailure ?? "stream_ended_early";
            }

            // Continue: the turn so far (all its blocks, ours included) plus the originals.
            var blocks = r.Blocks();
            var ours = r.Held.Select(h => blocks[h]).ToList();
            var items = ours.Select(b => new TurnItem(0, 0, true, true, b.Id, ResponseInspector.HashFrom(Encoding.UTF8.GetBytes(b.ArgumentsJson)))).ToList();
            var answers = await run.AnswerAsync(items).ConfigureAwait(false);
            var turnJson = Encoding.UTF8.GetBytes(new JsonArray(blocks.Values.Select(b => b.ToJson()).ToArray()).ToJsonString());
            var next = TurnEditor.Continue(run.Body, ApiKind.AnthropicMessages, turnJson, new ModelTurn { Turn = (0, turnJson.Length), Items = [] }, answers);
            if (next is null)
            {
                await FinishAsync(run.ClientBody, r.PendingDelta, total, true, true, run.Aborted).ConfigureAwait(false);
                return null;
            }

            run.Continuing(ours.Count, round + 1);
            await run.ClientBody.WriteAsync("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8.ToArray(), run.Aborted).ConfigureAwait(false);
            await run.ClientBody.FlushAsync(run.Aborted).ConfigureAwait(false);
            run.Body = next;
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

    /// <summary>The turn's closing events, with summed usage and, when only our calls were removed, end_turn.</summary>
    private static async Task FinishAsync(Stream client, SseEvent? pendingDelta, TokenUsage? summed, bool endTurn, bool finished, CancellationToken cancellationToken)
    {
        if (pendingDelta is not null)
        {
            if (summed is null && !endTurn)
            {
                await client.WriteAsync(pendingDelta.Value.Raw, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var data = JsonNode.Parse(pendingDelta.Value.Data.Span)!.AsObject();
                if (endTurn && data["delta"] is JsonObject delta)
                {
                    delta["stop_reason"] = "end_turn";
                }

                if (summed is not null)
                {
                    data["usage"] = JsonNode.Parse(AnthropicProtocol.Instance.UsageJson(summed));
                }

                await client.WriteAsync(Encoding.UTF8.GetBytes($"event: message_delta\ndata: {data.ToJsonString()}\n\n"), cancellationToken).ConfigureAwait(false);
            }
        }

        if (finished)
        {
            await client.WriteAsync("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }
}
