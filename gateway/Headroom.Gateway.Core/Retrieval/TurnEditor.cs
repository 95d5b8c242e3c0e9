using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Retrieval;

/// <summary>Byte-level edits the retrieval loop makes: continue a conversation, hide our calls, sum usage.</summary>
internal static class TurnEditor
{
    /// <summary>
    /// The forwarded request plus the model's turn and the answers to its retrieve calls, appended
    /// at the end of the conversation: every earlier byte stays as it was, so the provider's prefix
    /// cache covers the whole first request.
    /// </summary>
    public static byte[]? Continue(ReadOnlySpan<byte> request, ApiKind api, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        var shape = RequestWalker.Walk(request, api);
        if (shape?.Conversation is not { } conversation || WireProtocols.For(api) is not { } protocol)
        {
            return null;
        }

        var w = new ContinuationWriter(turn.Turn.End - turn.Turn.Start + answers.Sum(a => a.Text.Length) + 256);
        if (!request[(conversation.Start + 1)..(conversation.End - 1)].Trim(" \t\r\n"u8).IsEmpty)
        {
            w.Raw(","u8);
        }

        protocol.WriteContinuation(w, response, turn, answers);
        return Splice.Apply(request, [new Splice(conversation.End - 1, conversation.End - 1, w.Written)]);
    }

    /// <summary>The response without our retrieve calls (each removed with its separating comma).</summary>
    public static List<Splice> RemoveItems(ReadOnlySpan<byte> json, IEnumerable<TurnItem> remove)
    {
        var splices = new List<Splice>();
        foreach (var item in remove.OrderBy(i => i.Start))
        {
            var before = item.Start - 1;
            while (before >= 0 && IsSpace(json[before]))
            {
                before--;
            }

            if (before >= 0 && json[before] == (byte)',')
            {
                splices.Add(new Splice(before, item.End, ReadOnlyMemory<byte>.Empty));
                continue;
            }

            var after = item.End;
            while (after < json.Length && IsSpace(json[after]))
            {
                after++;
            }

            splices.Add(new Splice(item.Start, after < json.Length && json[after] == (byte)',' ? after + 1 : item.End, ReadOnlyMemory<byte>.Empty));
        }

        return splices;
    }

    /// <summary>A usage object in the provider's own field names with the summed counts of every round.</summary>
    public static byte[] UsageJson(ApiKind api, TokenUsage total) => WireProtocols.For(api)!.UsageJson(total);

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
