using System.Text;
using Headroom.Gateway.Retrieval;
using TokenUsage = Headroom.Gateway.Telemetry.TokenUsage;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>
/// OpenAI's streams (Chat chunks, Responses events) in the retrieval loop: relayed as they come,
/// our function call held back, and a continuation's chunks or items following in the same stream
/// with tool-call indices (Chat) or output indices and sequence numbers (Responses) kept consistent.
/// </summary>
internal sealed class OpenAIStreamRetrieval : IStreamRetrieval
{
    private readonly ApiKind _api;

    private OpenAIStreamRetrieval(ApiKind api) => _api = api;

    public static OpenAIStreamRetrieval Chat { get; } = new(ApiKind.OpenAIChat);

    public static OpenAIStreamRetrieval Responses { get; } = new(ApiKind.OpenAIResponses);

    public async Task<string?> RunAsync(RetrievalRun run, HttpResponseMessage first)
    {
        await run.StartStreamAsync(first).ConfigureAwait(false);
        var relay = new OpenAIStreamRelay(_api);
        using var writer = new RelayWriter(run.ClientBody);
        var total = TokenUsage.Empty;
        var response = first;
        for (var round = 0; ; round++)
        {
            using var reader = new SseEventReader(await response.Content.ReadAsStreamAsync(run.Aborted).ConfigureAwait(false));
            var r = await relay.RelayAsync(reader, writer, round, run.Aborted).ConfigureAwait(false);
            total = total.Add(r.Usage.Usage ?? TokenUsage.Empty);
            if (r.Ours.Count == 0 || r.ClientCalls || round >= RetrievalRun.MaxRounds)
            {
                if (r.Ours.Count > 0 && r.ClientCalls)
                {
                    run.MixedCalls();
                }

                await relay.FinishAsync(r, run.ClientBody, round > 0 || r.Ours.Count > 0 ? total : null, r.Ours.Count > 0 && !r.ClientCalls, run.Aborted).ConfigureAwait(false);
                return null;
            }

            var calls = r.Ours.Select(o => new TurnItem(0, 0, true, true, o.CallId, ResponseInspector.HashFrom(Encoding.UTF8.GetBytes(o.Arguments.ToString())))).ToList();
            var answers = await run.AnswerAsync(calls).ConfigureAwait(false);
            var (turnJson, turn) = relay.TurnFor(r);
            var next = TurnEditor.Continue(run.Body, _api, turnJson, turn, answers);
            if (next is null)
            {
                await relay.FinishAsync(r, run.ClientBody, total, true, run.Aborted).ConfigureAwait(false);
                return null;
            }

            run.Continuing(calls.Count, round + 1);
            relay.ContinueAfter(r);
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
}
