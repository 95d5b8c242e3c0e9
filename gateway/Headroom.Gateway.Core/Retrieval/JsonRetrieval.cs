using System.Net;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// The JSON (non-streaming) side of the retrieval loop, over any transport:
/// 1. a body in which our tool's name does not occur goes back as it came, uninspected;
/// 2. a turn that calls only <c>headroom_retrieve</c> is answered from the tenant's originals and
///    continued upstream (the turn and the answers appended, every earlier byte kept) — at most
///    <see cref="RetrievalRun.MaxRounds"/> times;
/// 3. the final body has our calls cut out (and <c>end_turn</c> when nothing is left for the client),
///    with usage summed over every round.
/// </summary>
internal static class JsonRetrieval
{
    private static ReadOnlySpan<byte> RetrieveToolName => "headroom_retrieve"u8;

    /// <summary>Whether the model may have called our tool (its name occurs in the body).</summary>
    public static bool MayCallRetrieve(ReadOnlySpan<byte> json) => json.IndexOf(RetrieveToolName) >= 0;

    /// <summary>
    /// Runs the rounds after <paramref name="first"/> (whose body is <paramref name="json"/>). The result's
    /// response is <paramref name="first"/> or the last continuation's (the caller disposes both).
    /// </summary>
    public static async Task<JsonRetrievalResult> RunAsync(RetrievalRun run, HttpResponseMessage first, byte[] json)
    {
        if (!MayCallRetrieve(json))
        {
            return new JsonRetrievalResult(first, json, null);
        }

        var api = run.Api;
        var total = TokenUsage.Empty;
        var response = first;
        for (var round = 0; ; round++)
        {
            var usage = new UsageAccumulator();
            usage.Observe(json);
            total = total.Add(usage.Usage ?? TokenUsage.Empty);
            var turn = ResponseInspector.Inspect(json, api);
            byte[]? next = null;
            if (turn is { CallsRetrieve: true, CallsClientTools: false } && round < RetrievalRun.MaxRounds)
            {
                var answers = await run.AnswerAsync(turn.Items).ConfigureAwait(false);
                next = TurnEditor.Continue(run.Body, api, json, turn, answers);
            }

            if (next is null)
            {
                if (turn is { CallsRetrieve: true, CallsClientTools: true })
                {
                    run.MixedCalls();
                }

                return new JsonRetrievalResult(response, FinalJson(json, api, turn, round > 0 ? total : null), null);
            }

            run.Continuing(turn!.Items.Count(i => i.IsRetrieve), round + 1);
            run.Body = next;
            if (!ReferenceEquals(response, first))
            {
                response.Dispose();
            }

            response = await run.SendAsync(next).ConfigureAwait(false);
            json = await response.Content.ReadAsByteArrayAsync(run.Aborted).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                run.ContinuationFailed(round + 1, (int)response.StatusCode);
                return new JsonRetrievalResult(response, json, "continuation_failed");
            }
        }
    }

    /// <summary>The body the client gets: our calls removed, the turn ended when nothing is left for it, usage summed.</summary>
    private static byte[] FinalJson(byte[] json, ApiKind api, ModelTurn? turn, TokenUsage? summed)
    {
        var splices = new List<Splice>();
        if (turn is { CallsRetrieve: true })
        {
            splices.AddRange(TurnEditor.RemoveItems(json, turn.Items.Where(i => i.IsRetrieve)));
            if (!turn.CallsClientTools && turn.StopReason is { } stop)
            {
                // Nothing left for the client to run: the turn ends here.
                splices.Add(new Splice(stop.Start, stop.End, WireProtocols.For(api)!.EndTurnReason.ToArray()));
            }
        }

        if (summed is not null && turn?.Usage is { } usage)
        {
            splices.Add(new Splice(usage.Start, usage.End, TurnEditor.UsageJson(api, summed)));
        }

        splices.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return splices.Count == 0 ? json : Splice.Apply(json, splices);
    }
}

/// <summary>What the JSON loop ends with: the response whose status and headers go back, its (edited) body, an error code or null.</summary>
internal sealed record JsonRetrievalResult(HttpResponseMessage Response, byte[] Json, string? Error);
