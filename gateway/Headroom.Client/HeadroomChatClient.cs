using System.Runtime.CompilerServices;
using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Retrieval;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.AI;

namespace Headroom.Client;

/// <summary>
/// Headroom as a Microsoft.Extensions.AI middleware (<c>builder.UseHeadroom(...)</c>):
/// 1. the conversation is read by the gateway's live zone (as an OpenAI Chat request, see
///    <see cref="ChatRequestBody"/>): the newest tool results are compressed with retrievable markers,
///    results seen before get exactly the text sent last time;
/// 2. the inner client gets a copy of the messages with those results replaced (the caller's list is
///    never changed) and, when the live zone declares it, the <c>headroom_retrieve</c> function;
/// 3. a turn that calls only <c>headroom_retrieve</c> is answered from the embedded store and continued,
///    at most <see cref="RetrievalRun.MaxRounds"/> times; the caller sees the final turn only, with usage
///    summed. A turn that also calls the caller's functions returns those without ours.
/// Place it inside <c>UseFunctionInvocation()</c> (nearer the model) so every round trip is compressed.
/// </summary>
public sealed class HeadroomChatClient : DelegatingChatClient
{
    private static readonly TenantId Keyless = TenantId.Parse("anonymous");

    private static readonly AIFunctionDeclaration RetrieveDeclaration = AIFunctionFactory.CreateDeclaration(
        RetrieveTool.Name, RetrieveTool.Description, JsonDocument.Parse(RetrieveTool.Schema).RootElement.Clone());

    private readonly HeadroomClientOptions _options;

    public HeadroomChatClient(IChatClient innerClient, HeadroomClientOptions options)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var engine = await HeadroomEngine.ForAsync(_options).ConfigureAwait(false);
        var (conversation, sent, tenant, declared) = await PrepareAsync(engine, messages, options, cancellationToken).ConfigureAwait(false);
        UsageDetails? total = null;
        for (var round = 0; ; round++)
        {
            var response = await base.GetResponseAsync(conversation, sent, cancellationToken).ConfigureAwait(false);
            total = Sum(total, response.Usage);
            if (!declared || OurCalls(response.Messages) is not { Count: > 0 } ours)
            {
                if (round > 0)
                {
                    response.Usage = total; // summed over every round, as the gateway does
                }

                return response;
            }

            if (HasClientCalls(response.Messages) || round >= RetrievalRun.MaxRounds)
            {
                if (HasClientCalls(response.Messages))
                {
                    ClientLog.MixedCalls(engine.Logger);
                }

                return WithoutOurCalls(response, round > 0 ? total : response.Usage);
            }

            ClientLog.Continuing(engine.Logger, ours.Count, round + 1);
            conversation.AddRange(response.Messages);
            conversation.Add(await AnswerAsync(engine, tenant, ours, cancellationToken).ConfigureAwait(false));
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var engine = await HeadroomEngine.ForAsync(_options).ConfigureAwait(false);
        var (conversation, sent, tenant, declared) = await PrepareAsync(engine, messages, options, cancellationToken).ConfigureAwait(false);
        for (var round = 0; ; round++)
        {
            // Updates go to the caller as they come; only our function calls are held back.
            var updates = new List<ChatResponseUpdate>();
            var ours = new List<FunctionCallContent>();
            var clientCalls = false;
            await foreach (var update in base.GetStreamingResponseAsync(conversation, sent, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                if (!declared || !update.Contents.Any(IsOurs))
                {
                    clientCalls |= update.Contents.Any(c => c is FunctionCallContent);
                    yield return update;
                    continue;
                }

                ours.AddRange(update.Contents.OfType<FunctionCallContent>().Where(IsOurs));
                clientCalls |= update.Contents.Any(c => c is FunctionCallContent f && !IsOurs(f));
                var rest = update.Clone();
                rest.Contents = update.Contents.Where(c => !IsOurs(c)).ToList();
                if (rest.Contents.Count > 0)
                {
                    yield return rest;
                }
            }

            if (ours.Count == 0 || clientCalls || round >= RetrievalRun.MaxRounds)
            {
                if (ours.Count > 0 && clientCalls)
                {
                    ClientLog.MixedCalls(engine.Logger);
                }

                yield break;
            }

            ClientLog.Continuing(engine.Logger, ours.Count, round + 1);
            conversation.AddRange(updates.ToChatResponse().Messages);
            conversation.Add(await AnswerAsync(engine, tenant, ours, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The live zone over the conversation: the messages and options the inner client gets.</summary>
    private static async Task<(List<ChatMessage> Messages, ChatOptions? Options, TenantId Tenant, bool Declared)> PrepareAsync(
        HeadroomEngine engine, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var conversation = new List<ChatMessage>(list);
        var request = ChatRequestBody.Write(list, options);
        LiveResult live;
        try
        {
            live = await engine.Live.ProcessAsync(request.Bytes, ApiKind.OpenAIChat, MessageHeaders.None, Keyless, engine.Options.Compression.Enabled, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ClientLog.LiveZoneFailed(engine.Logger, null, ex.GetType().Name + ": " + ex.Message, ex);
            return (conversation, options, Keyless, false);
        }

        // Each replaced result, in a copy of its message (the caller's messages stay as they were).
        foreach (var outcome in live.Outcomes)
        {
            if (outcome.ForwardedToken is not { } token || !request.Results.TryGetValue(outcome.Block.Start, out var at))
            {
                continue;
            }

            var message = conversation[at.Message] = ReferenceEquals(conversation[at.Message], list[at.Message]) ? list[at.Message].Clone() : conversation[at.Message];
            message.Contents = [.. message.Contents];
            var result = (FunctionResultContent)message.Contents[at.Content];
            message.Contents[at.Content] = new FunctionResultContent(result.CallId, JsonSerializer.Deserialize<string>(token))
            {
                AdditionalProperties = result.AdditionalProperties,
            };
        }

        var sent = options;
        if (live.RetrieveToolAdded)
        {
            sent = options?.Clone() ?? new ChatOptions();
            sent.Tools = [.. sent.Tools ?? [], RetrieveDeclaration];
        }

        return (conversation, sent, live.Tenant ?? Keyless, live.RetrieveToolAdded);
    }

    private static async Task<ChatMessage> AnswerAsync(HeadroomEngine engine, TenantId tenant, List<FunctionCallContent> calls, CancellationToken cancellationToken)
    {
        var items = calls.Select(c => new TurnItem(0, 0, true, true, c.CallId, HashOf(c))).ToList();
        var answers = await engine.AnswerAsync(tenant, items, cancellationToken).ConfigureAwait(false);
        return new ChatMessage(ChatRole.Tool, answers.Select(a => (AIContent)new FunctionResultContent(a.CallId, a.Text)).ToList());
    }

    private static string HashOf(FunctionCallContent call) =>
        call.Arguments?.TryGetValue("hash", out var value) == true
            ? value switch
            {
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
                _ => "",
            }
            : "";

    private static bool IsOurs(AIContent content) => content is FunctionCallContent { Name: RetrieveTool.Name };

    private static List<FunctionCallContent> OurCalls(IList<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Where(IsOurs).ToList();

    private static bool HasClientCalls(IList<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).Any(c => c is FunctionCallContent && !IsOurs(c));

    private static ChatResponse WithoutOurCalls(ChatResponse response, UsageDetails? usage)
    {
        foreach (var message in response.Messages)
        {
            message.Contents = message.Contents.Where(c => !IsOurs(c)).ToList();
        }

        if (!HasClientCalls(response.Messages))
        {
            response.FinishReason = ChatFinishReason.Stop; // nothing left for the caller to run
        }

        response.Usage = usage;
        return response;
    }

    private static UsageDetails? Sum(UsageDetails? total, UsageDetails? round)
    {
        if (round is null)
        {
            return total;
        }

        var sum = new UsageDetails();
        if (total is not null)
        {
            sum.Add(total);
        }

        sum.Add(round);
        return sum;
    }
}
