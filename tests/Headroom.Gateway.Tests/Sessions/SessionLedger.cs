using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Tokens;
using Headroom.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Headroom.Gateway.Tests.Sessions;

/// <summary>
/// Checks every turn of a session against the previous one and keeps the figures:
/// (a) the conversation the upstream received on turn N-1 (minus its closing bracket) is a byte
///     prefix of the conversation it receives on turn N, the system prompt and every other top-level
///     field are the client's bytes, and the tools are the client's plus headroom_retrieve from the
///     first turn on, identical on every turn (the whole prefix up to the newest output is stable);
/// (b) o200k tokens of each request body as the client sent it and as the upstream received it;
/// (e) every forwarded body carrying a marker declares headroom_retrieve.
/// Byte ranges are found with an independent <see cref="Utf8JsonReader"/> pass, not the gateway's walker.
/// </summary>
internal sealed class SessionLedger
{
    /// <summary>The breakpoint Claude Code puts on the last message; the next turn moves it to the new last message.</summary>
    private static readonly byte[] MovingBreakpoint = Encoding.UTF8.GetBytes(",\"cache_control\":{\"type\":\"ephemeral\"}");

    private readonly ITestOutputHelper _output;
    private readonly string _conversation;
    private readonly string _system;
    private readonly bool _clientMovesBreakpoint;
    private readonly List<string> _rows = [];
    private byte[]? _previousForwarded;
    private byte[]? _previousClient;
    private byte[]? _previousTools;
    private readonly Stopwatch _tokenizing = new();
    private byte[]? _lastForwarded;
    private readonly Dictionary<string, int> _tokenCache = new(StringComparer.Ordinal);
    private (byte[]? Client, byte[]? Forwarded, int ClientTokens, int ForwardedTokens) _lastBodies;

    public SessionLedger(ITestOutputHelper output, string conversation, string system, bool clientMovesBreakpoint)
    {
        _output = output;
        _conversation = conversation;
        _system = system;
        _clientMovesBreakpoint = clientMovesBreakpoint;
    }

    public long ClientTokens { get; private set; }
    public long ForwardedTokens { get; private set; }
    public int PrefixChecks { get; private set; }
    public int ToolChecks { get; private set; }
    public int RequestsWithMarkers { get; private set; }
    /// <summary>Markers in the last forwarded request (one per omitted part: an output can carry several).</summary>
    public int MarkersForwarded => _lastForwarded is null ? 0 : Markers(_lastForwarded).Count;
    public int RetrieveToolFromTurn { get; private set; } = -1;
    public int Turns { get; private set; }
    public double SavedPercent => ClientTokens == 0 ? 0 : 100.0 * (ClientTokens - ForwardedTokens) / ClientTokens;

    /// <summary>Checks one turn: the client's body, the first request the upstream got for it, and any retrieval continuations.</summary>
    public void Turn(int turn, string label, byte[] client, RecordedRequest first, IReadOnlyList<RecordedRequest> continuations)
    {
        Turns++;
        var clientRanges = TopLevel(client);
        var forwardedRanges = TopLevel(first.Body);

        // Every top-level field but the conversation and the tools is the client's, byte for byte.
        Assert.Equal(clientRanges.Keys.Order(StringComparer.Ordinal), forwardedRanges.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, range) in clientRanges)
        {
            if (name != _conversation && name != "tools")
            {
                Assert.True(Slice(client, range).SequenceEqual(Slice(first.Body, forwardedRanges[name])), $"turn {turn}: top-level \"{name}\" differs from the client's bytes");
            }
        }

        Assert.True(clientRanges.ContainsKey(_system), $"the client sends {_system}");

        // Tools: the client's plus headroom_retrieve from the session's first request on, identical on every
        // turn, whether or not anything was compressed yet (tools is the first level of the cached prefix).
        var clientTools = Slice(client, clientRanges["tools"]);
        var tools = Slice(first.Body, forwardedRanges["tools"]);
        Assert.True(ToolNames(tools).Contains(Headroom.Gateway.LiveZone.RetrieveTool.Name), $"turn {turn}: headroom_retrieve is not declared");
        Assert.True(tools.StartsWith(clientTools[..^1]), $"turn {turn}: the client's tools are not a prefix of the forwarded tools");
        if (_previousTools is not null)
        {
            Assert.True(tools.SequenceEqual(_previousTools), $"turn {turn}: the forwarded tools changed (cache break)");
            ToolChecks++;
        }
        else
        {
            RetrieveToolFromTurn = turn;
        }

        _previousTools = tools.ToArray();

        // Conversation: last turn's forwarded bytes are a byte prefix of this turn's.
        var conversation = Slice(first.Body, forwardedRanges[_conversation]);
        if (_previousForwarded is not null)
        {
            AssertExtends(_previousForwarded, conversation, $"turn {turn} vs turn {turn - 1} (forwarded)");
            AssertExtends(_previousClient!, Slice(client, clientRanges[_conversation]), $"turn {turn} vs turn {turn - 1} (the client's own bytes, sanity)");
            PrefixChecks++;
        }

        // A retrieval continuation extends the turn's first request.
        foreach (var next in continuations)
        {
            var nextRanges = TopLevel(next.Body);
            AssertExtends(conversation.ToArray(), Slice(next.Body, nextRanges[_conversation]), $"turn {turn}: retrieval continuation", movesBreakpoint: false);
            Assert.True(Slice(next.Body, nextRanges["tools"]).SequenceEqual(tools), $"turn {turn}: the continuation changed the tools");
            PrefixChecks++;
        }

        _previousForwarded = conversation.ToArray();
        _previousClient = Slice(client, clientRanges[_conversation]).ToArray();

        // (e) Markers never reach the upstream without the tool that resolves them.
        foreach (var request in continuations.Prepend(first))
        {
            // In the conversation: the tool's own description quotes the marker form.
            if (Encoding.UTF8.GetString(Slice(request.Body, TopLevel(request.Body)[_conversation])).Contains(MarkerFormat.Prefix, StringComparison.Ordinal))
            {
                RequestsWithMarkers++;
                Assert.Contains(Headroom.Gateway.LiveZone.RetrieveTool.Name, ToolNames(Slice(request.Body, TopLevel(request.Body)["tools"])));
            }
        }

        _lastForwarded = first.Body;

        // (b) Tokens, client vs forwarded.
        _tokenizing.Start();
        var clientTokens = CountTokens(client, clientRanges[_conversation]);
        var forwardedTokens = CountTokens(first.Body, forwardedRanges[_conversation]);
        _tokenizing.Stop();
        _lastBodies = (client, first.Body, clientTokens, forwardedTokens);
        ClientTokens += clientTokens;
        ForwardedTokens += forwardedTokens;
        _rows.Add($"turn {turn,2}  {label,-28} client {clientTokens,8:N0}  forwarded {forwardedTokens,7:N0}  ({100.0 * (clientTokens - forwardedTokens) / clientTokens,5:F1}% less){(continuations.Count > 0 ? $"  + {continuations.Count} retrieval continuation(s)" : "")}");
    }

    /// <summary>
    /// o200k tokens of a body, counted per conversation item (each item once per session: history repeats
    /// every turn) plus the rest of the body. Differs from counting the body in one piece by at most a
    /// token per item boundary; <see cref="Print"/> shows both counts for the last turn.
    /// </summary>
    private int CountTokens(byte[] body, (int Start, int End) conversation)
    {
        var total = Count(Encoding.UTF8.GetString(body, 0, conversation.Start + 1)) + Count(Encoding.UTF8.GetString(body, conversation.End - 1, body.Length - conversation.End + 1));
        var reader = new Utf8JsonReader(body.AsSpan(conversation.Start, conversation.End - conversation.Start));
        reader.Read();
        var separator = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            total += Count((separator ? "," : "") + Encoding.UTF8.GetString(body, conversation.Start + start, (int)reader.BytesConsumed - start));
            separator = true;
        }

        return total;
    }

    private int Count(string text)
    {
        if (!_tokenCache.TryGetValue(text, out var count))
        {
            count = O200kTokenizer.Instance.CountTokens(text);
            _tokenCache[text] = count;
        }

        return count;
    }

    public void Print(string title, IEnumerable<string> extra)
    {
        _output.WriteLine(title);
        foreach (var row in _rows)
        {
            _output.WriteLine(row);
        }

        _output.WriteLine($"total over {Turns} requests: client {ClientTokens:N0} o200k tokens, forwarded {ForwardedTokens:N0} → {SavedPercent:F1}% saved");
        _output.WriteLine($"byte-prefix checks passed: {PrefixChecks} (conversation), tool-list checks: {ToolChecks}, headroom_retrieve present from turn {RetrieveToolFromTurn}");
        _output.WriteLine($"forwarded requests carrying markers: {RequestsWithMarkers}, all declaring headroom_retrieve; markers in the last request: {MarkersForwarded}");
        if (_lastBodies is var (client, forwarded, clientTokens, forwardedTokens) && client is not null)
        {
            _output.WriteLine($"last turn counted in one piece: client {O200kTokenizer.Instance.CountTokens(Encoding.UTF8.GetString(client)):N0} (per item {clientTokens:N0}), forwarded {O200kTokenizer.Instance.CountTokens(Encoding.UTF8.GetString(forwarded!)):N0} (per item {forwardedTokens:N0}); tokenizer time {_tokenizing.Elapsed.TotalSeconds:F1} s");
        }
        foreach (var line in extra)
        {
            _output.WriteLine(line);
        }
    }

    /// <summary>
    /// <paramref name="before"/> minus its closing bracket is a byte prefix of <paramref name="after"/>, followed by a comma.
    /// The one change the client itself makes (moving its last-message breakpoint) is taken out of
    /// <paramref name="before"/> first: Anthropic does not count cache_control in the cached prefix.
    /// </summary>
    private void AssertExtends(byte[] before, ReadOnlySpan<byte> after, string what, bool movesBreakpoint = true)
    {
        var expected = before.AsSpan();
        byte[]? normalized = null;
        if (_clientMovesBreakpoint && movesBreakpoint)
        {
            var at = expected.LastIndexOf(MovingBreakpoint);
            Assert.True(at >= 0, $"{what}: the previous turn's last message carried no breakpoint");
            normalized = [.. expected[..at], .. expected[(at + MovingBreakpoint.Length)..]];
            expected = normalized;
        }

        Assert.Equal((byte)']', expected[^1]);
        var prefix = expected[..^1];
        if (!after.StartsWith(prefix))
        {
            var common = prefix.CommonPrefixLength(after);
            var context = Encoding.UTF8.GetString(prefix[Math.Max(0, common - 80)..Math.Min(prefix.Length, common + 80)]);
            var got = Encoding.UTF8.GetString(after[Math.Max(0, common - 80)..Math.Min(after.Length, common + 80)]);
            Assert.Fail($"{what}: cache break at byte {common} of {prefix.Length}.\nexpected …{context}…\nreceived …{got}…");
        }

        Assert.Equal((byte)',', after[prefix.Length]);
    }

    private static ReadOnlySpan<byte> Slice(byte[] body, (int Start, int End) range) => body.AsSpan(range.Start, range.End - range.Start);

    /// <summary>Byte range of every top-level property value.</summary>
    public static Dictionary<string, (int Start, int End)> TopLevel(byte[] body)
    {
        var ranges = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(body);
        Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            ranges[name] = (start, (int)reader.BytesConsumed);
        }

        return ranges;
    }

    public static List<string> ToolNames(ReadOnlySpan<byte> tools) =>
        JsonNode.Parse(tools)!.AsArray().Select(t => (t!["name"] ?? t["function"]?["name"])!.GetValue<string>()).ToList();

    /// <summary>Every marker in the decoded string values of a body, in document order.</summary>
    public static List<Marker> Markers(byte[] body)
    {
        var found = new List<Marker>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    found.AddRange(MarkerFormat.FindAll(v.GetValue<string>()).Select(m => m.Marker));
                    break;
            }
        }

        Walk(JsonNode.Parse(body));
        return found;
    }
}
