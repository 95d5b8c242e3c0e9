using System.Text.Json.Nodes;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>
/// One round of an Anthropic stream relayed to the client at byte level: each event is read with a
/// <see cref="Utf8JsonReader"/>-based scan and goes out as it came (its block index changed when our
/// held-back block shifted the client's numbering); only our <c>headroom_retrieve</c> block and the
/// turn's closing events are held back. The turn's content-block events are kept as bytes and parsed
/// only when the gateway continues the conversation.
/// </summary>
internal sealed class AnthropicStreamRelay
{
    private readonly NumberEdit[] _edit = new NumberEdit[1];
    private int _clientBlocks;

    /// <summary>What one round produced, for the decision to continue.</summary>
    public sealed class Round : IDisposable
    {
        private readonly PooledBytes _turn = new(4 * 1024);
        private readonly List<(int Start, int Length)> _events = [];

        /// <summary>Upstream indices of our held-back blocks, in order.</summary>
        public List<int> Held { get; } = [];

        public bool ClientCalls { get; set; }

        public bool Finished { get; set; }

        /// <summary>The turn's message_delta, held until the gateway knows how the turn ends.</summary>
        public SseEvent? PendingDelta { get; set; }

        public UsageAccumulator Usage { get; } = new();

        /// <summary>False once the round cannot be continued (client calls, last round): nothing more is kept.</summary>
        public bool Recording { get; set; } = true;

        public void Record(ReadOnlySpan<byte> data)
        {
            _events.Add((_turn.Count, data.Length));
            _turn.Add(data);
        }

        /// <summary>The round's content blocks rebuilt from the kept events (only when continuing).</summary>
        public SortedDictionary<int, StreamBlock> Blocks()
        {
            var blocks = new SortedDictionary<int, StreamBlock>();
            foreach (var (start, length) in _events)
            {
                if (JsonNode.Parse(_turn.Span.Slice(start, length)) is not JsonObject data || data["index"] is not JsonValue i)
                {
                    continue;
                }

                var index = i.GetValue<int>();
                if (data["content_block"] is JsonObject block)
                {
                    blocks[index] = new StreamBlock(block);
                }
                else if (data["delta"] is JsonObject delta && blocks.TryGetValue(index, out var known))
                {
                    known.Apply(delta);
                }
            }

            return blocks;
        }

        public void Dispose() => _turn.Dispose();
    }

    /// <summary>Relays one upstream stream until message_stop or its end.</summary>
    public async Task<Round> RelayAsync(SseEventReader reader, RelayWriter client, int round, bool lastRound, CancellationToken cancellationToken)
    {
        var r = new Round { Recording = !lastRound };
        var indexMap = new Dictionary<int, int>();
        try
        {
            while (true)
            {
                if (!reader.TryNext(out var ev))
                {
                    // Everything received so far is out before the relay waits for more.
                    await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (!await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return r;
                    }

                    continue;
                }

                bool stop;
                try
                {
                    stop = Handle(ev, r, round, indexMap, client);
                }
                catch
                {
                    // The events before the unreadable one still reach the client, then the loop's error event.
                    await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                    throw;
                }

                if (stop)
                {
                    await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return r;
                }
            }
        }
        catch
        {
            r.Dispose();
            throw;
        }
    }

    /// <summary>Handles one event; true at message_stop.</summary>
    private bool Handle(in SseEvent ev, Round r, int round, Dictionary<int, int> indexMap, RelayWriter client)
    {
        var data = ev.Data.Span;
        if (data.IsEmpty || !AnthropicEventScanner.Scan(data, out var head))
        {
            client.Add(ev.Raw.Span); // not JSON: relayed untouched
            return false;
        }

        switch (head.Type)
        {
            case AnthropicEvent.MessageStart:
                r.Usage.Observe(data);
                if (round == 0)
                {
                    client.Add(ev.Raw.Span);
                }

                break;
            case AnthropicEvent.ContentBlockStart when head.HasIndex && head.HasBlock:
                if (head.BlockIsOurs)
                {
                    r.Held.Add(head.Index);
                    Record(r, data);
                    break;
                }

                if (head.BlockIsToolCall)
                {
                    // The client's own call: the turn goes back to the client, nothing is continued.
                    r.ClientCalls = true;
                    r.Recording = false;
                }

                indexMap[head.Index] = _clientBlocks++;
                Record(r, data);
                Relay(client, ev, head, indexMap[head.Index]);
                break;
            case AnthropicEvent.ContentBlockDelta or AnthropicEvent.ContentBlockStop when head.HasIndex:
                if (head.Type == AnthropicEvent.ContentBlockDelta)
                {
                    Record(r, data);
                }

                if (!r.Held.Contains(head.Index))
                {
                    Relay(client, ev, head, indexMap.GetValueOrDefault(head.Index, head.Index));
                }

                break;
            case AnthropicEvent.MessageDelta:
                r.Usage.Observe(data);
                r.PendingDelta = ev.Detach();
                break;
            case AnthropicEvent.MessageStop:
                r.Finished = true;
                return true;
            default:
                // ping, error, unknown events: relayed as they are.
                client.Add(ev.Raw.Span);
                break;
        }

        return false;
    }

    private static void Record(Round r, ReadOnlySpan<byte> data)
    {
        if (r.Recording)
        {
            r.Record(data);
        }
    }

    /// <summary>Relays an event; only when its block index moves is the number rewritten in place.</summary>
    private void Relay(RelayWriter client, in SseEvent ev, in AnthropicHead head, int clientIndex)
    {
        if (clientIndex == head.Index)
        {
            client.Add(ev.Raw.Span);
            return;
        }

        _edit[0] = new NumberEdit(head.IndexStart, head.IndexEnd, clientIndex);
        client.Add(ev, _edit, head.Type switch
        {
            AnthropicEvent.ContentBlockStart => "content_block_start",
            AnthropicEvent.ContentBlockDelta => "content_block_delta",
            _ => "content_block_stop",
        });
    }
}
