using System.Text;
using Headroom.Gateway.Caching;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>The pure parts: forensics, TTL choice, changed spans, SSE filtering, volatile values, minimums.</summary>
public sealed class CacheUnitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<ulong, string> NoText = [];

    private const string WithToolResult = """{"model":"claude-sonnet-4-5","system":"sys","messages":[{"role":"user","content":"run it"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"make"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"LONG OUTPUT"}]}]}""";

    private static PrefixFingerprint Print(string json, DateTimeOffset at, params Splice[] splices)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return PrefixFingerprint.Build(body, RequestWalker.Walk(body, ApiKind.AnthropicMessages)!, splices, at);
    }

    private static Splice ReplaceToolOutput(string json, string replacement)
    {
        var start = json.IndexOf("\"LONG OUTPUT\"", StringComparison.Ordinal);
        return new Splice(start, start + "\"LONG OUTPUT\"".Length, Encoding.UTF8.GetBytes(replacement));
    }

    [Fact]
    public void Forensics_SameClientBytesDifferentForwardedBytes_IsGatewayCaused()
    {
        var earlier = Print(WithToolResult, T0, ReplaceToolOutput(WithToolResult, "\"short A\""));
        var now = Print(WithToolResult, T0.AddSeconds(10), ReplaceToolOutput(WithToolResult, "\"short B\""));
        var notes = new CacheNotes();

        CacheForensics.Judge(now, [earlier], NoText, notes);

        Assert.Equal(CacheVerdict.Broken, notes.Verdict);
        Assert.Equal(CacheVerdict.GatewayCaused, notes.Cause);
        Assert.Equal("message[2].block[0]", notes.BrokenAt);
    }

    [Fact]
    public void Forensics_ReplayedBytes_AreAHit_NotGatewayCaused()
    {
        var earlier = Print(WithToolResult, T0, ReplaceToolOutput(WithToolResult, "\"short A\""));
        var now = Print(WithToolResult, T0.AddSeconds(10), ReplaceToolOutput(WithToolResult, "\"short A\""));
        var notes = new CacheNotes();

        CacheForensics.Judge(now, [earlier], NoText, notes);

        Assert.Equal(CacheVerdict.Hit, notes.Verdict);
        Assert.Null(notes.Cause);
    }

    [Fact]
    public void Forensics_EditedEarlierMessage_IsMessageEdited()
    {
        var earlier = Print(WithToolResult, T0);
        var now = Print(WithToolResult.Replace("run it", "run that", StringComparison.Ordinal), T0.AddSeconds(5));
        var notes = new CacheNotes();

        CacheForensics.Judge(now, [earlier], NoText, notes);

        Assert.Equal(CacheVerdict.MessageEdited, notes.Cause);
        Assert.Equal("message[0].block[0]", notes.BrokenAt);
    }

    [Fact]
    public void Forensics_ModelSwitch_IsModelChanged_AnotherConversationOnAnotherModelIsCold()
    {
        var earlier = Print(WithToolResult, T0);
        var switched = new CacheNotes();
        CacheForensics.Judge(Print(WithToolResult.Replace("claude-sonnet-4-5", "claude-opus-4-5", StringComparison.Ordinal), T0.AddSeconds(5)), [earlier], NoText, switched);
        Assert.Equal(CacheVerdict.ModelChanged, switched.Cause);

        var other = new CacheNotes();
        CacheForensics.Judge(Print("""{"model":"claude-haiku-4-5","system":"title generator","messages":[{"role":"user","content":"x"}]}""", T0.AddSeconds(6)), [earlier], NoText, other);
        Assert.Equal(CacheVerdict.Cold, other.Verdict);
    }

    [Fact]
    public void Forensics_PicksTheLineageSharingTheLongestPrefix()
    {
        var main = Print(WithToolResult, T0);
        var subAgent = Print(WithToolResult.Replace("\"sys\"", "\"sub-agent system\"", StringComparison.Ordinal), T0.AddSeconds(1));
        var notes = new CacheNotes();

        CacheForensics.Judge(Print(WithToolResult, T0.AddSeconds(20)), [main, subAgent], NoText, notes);

        Assert.Equal(CacheVerdict.Hit, notes.Verdict);
        Assert.Equal(20, notes.GapSeconds);
    }

    [Theory]
    [InlineData("Today is 2026-11-21. Be kind.", "Today is 2026-11-22. Be kind.", "@9: \"2026-11-21\" → \"2026-11-22\"")]
    [InlineData("id=3f2a9c00 ok", "id=3f2b9c00 ok", "@3: \"3f2a9c00\" → \"3f2b9c00\"")]
    [InlineData("abc", "abcdef", "@0: \"abc\" → \"abcdef\"")]
    public void ChangedSpan_NamesTheWholeToken(string before, string after, string expected) =>
        Assert.Equal(expected, ChangedSpan.Describe(before, after));

    [Fact]
    public void TtlAdvisor_ShortGapsKeepFiveMinutes_LongGapsChooseOneHour_WithTheExpectedSaving()
    {
        var sonnet = ModelPriceTable.Default.Find("claude-sonnet-4-5");

        var (shortTtl, _) = TtlAdvisor.Choose([30, 45, 60, 20], 10_000, sonnet, 3);
        var (longTtl, saving) = TtlAdvisor.Choose([600, 900, 1200, 60], 10_000, sonnet, 3);
        var (undecided, none) = TtlAdvisor.Choose([900], 10_000, sonnet, 3);

        Assert.Equal(CacheTtl.FiveMinutes, shortTtl);
        Assert.Equal(CacheTtl.OneHour, longTtl);

        // 5 min: 1/4 read at 0.30 + 3/4 re-write at 3.75 → 2.8875 $/M; 1 h: all read at 0.30 → 0.30 $/M; ×10,000 tokens.
        Assert.Equal(0.025875m, saving);
        Assert.Equal(CacheTtl.FiveMinutes, undecided);
        Assert.Null(none);
    }

    [Fact]
    public void UsageChunkFilter_DropsOnlyTheUsageChunk_AcrossSplitWrites()
    {
        var fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "openai-chat-stream-usage.sse"));
        var bytes = Encoding.UTF8.GetBytes(fixture);
        var output = new List<byte>();
        var pending = new List<byte>();
        foreach (var chunk in bytes.Chunk(37))
        {
            pending.AddRange(chunk);
            var (keep, consumed) = UsageChunkFilterStream.Filter(pending.ToArray());
            output.AddRange(keep.ToArray());
            pending.RemoveRange(0, consumed);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Empty(pending);
        Assert.DoesNotContain("\"choices\":[]", text, StringComparison.Ordinal);
        Assert.Equal(fixture.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length - 1, text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void VolatileScanner_FindsDatesTimesIdsHashesAndJwts()
    {
        var findings = new List<VolatileFinding>();
        VolatileScanner.Scan("system", "Date: 2026-11-21 at 14:05:09. Session 123e4567-e89b-12d3-a456-426614174000, req_01HXYZ8K2M9Q, commit 9fceb02d0ae598e95dc970b74767f19372d61af8, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3g. Plain words stay.", findings);

        Assert.Equal(["date", "time", "uuid", "request_id", "hex_hash", "jwt"], findings.Select(f => f.Kind));
        Assert.Equal("2026-11-21", findings[0].Value);
    }

    [Fact]
    public void VolatileScanner_HostileTokenRuns_AreScannedWholeWithoutAClock()
    {
        // A 120 KB run that opens a JWT at every '-' and never closes one, with a digit in every window so the
        // windows would merge into one: matching it whole takes the backtracking engine most of a second, over the
        // 200 ms wall-clock timeout the scan once had (which made its result depend on the load and failed the
        // request's live zone). The scanner finishes, finds the one real date after the run, the same every time.
        var text = string.Concat(Enumerable.Repeat("eyJ1-", 24_000)) + " released 2026-11-21.";
        var first = new List<VolatileFinding>();
        var second = new List<VolatileFinding>();

        VolatileScanner.Scan("system", text, first);
        VolatileScanner.Scan("system", text, second);

        Assert.Equal(["date"], first.Select(f => f.Kind));
        Assert.Equal("2026-11-21", first[0].Value);
        Assert.Equal(first.Select(f => (f.Kind, f.Value, f.Offset)), second.Select(f => (f.Kind, f.Value, f.Offset)));
    }

    [Fact]
    public void VolatileMove_PutsVolatileLinesLast_BytesOfEachLineKept()
    {
        var token = Encoding.UTF8.GetBytes("\"You are helpful.\\nToday is 2026-11-21.\\nAlways cite files.\"");

        var moved = VolatilePlanner.MoveToEnd(token);

        Assert.NotNull(moved);
        Assert.Equal("\"You are helpful.\\nAlways cite files.\\nToday is 2026-11-21.\"", Encoding.UTF8.GetString(moved.Value.Bytes));
        Assert.Null(VolatilePlanner.MoveToEnd(moved.Value.Bytes)); // already last: deterministic, no churn
    }

    [Theory]
    [InlineData("claude-opus-4-5-20251101", 4096)]
    [InlineData("claude-sonnet-4-5", 1024)]
    [InlineData("claude-3-5-haiku-latest", 2048)]
    [InlineData("anthropic/claude-opus-4-1", 1024)]
    [InlineData("some-future-claude", 1024)]
    public void CacheMinimums_FromTheDataFile(string model, int expected) =>
        Assert.Equal(expected, CacheMinimums.Default.MinTokens(model, anthropic: true));

    [Fact]
    public void UnknownModel_IsTokensOnly_Stated()
    {
        var record = new Gateway.Telemetry.RequestRecord
        {
            RequestId = "r", StartedAt = T0, Provider = Provider.OpenAI, Api = ApiKind.OpenAIChat, Method = "POST", Path = "/v1/chat/completions",
            Model = "my-finetune-7", Usage = new Gateway.Telemetry.TokenUsage { InputTokens = 10, OutputTokens = 5 },
        };

        var cost = CostModel.Compute(record, ModelPriceTable.Default);

        Assert.Null(cost.BilledUsd);
        Assert.Null(cost.SavedUsd);
        Assert.Equal("no price for model 'my-finetune-7': tokens only", cost.Note);
    }

    [Fact]
    public void Money_CompressionAndCachingSavings_AreSeparate_AndAddUp()
    {
        var block = new ContextBlock { Message = 2, Block = 0, Role = "user", Kind = BlockKind.ToolOutput, Start = 0, End = 10 };
        var notes = new CacheNotes { BreakpointsPlaced = 3 };
        var record = new Gateway.Telemetry.RequestRecord
        {
            RequestId = "r", StartedAt = T0, Provider = Provider.Anthropic, Api = ApiKind.AnthropicMessages, Method = "POST", Path = "/v1/messages",
            Model = "claude-sonnet-4-5",
            Usage = new Gateway.Telemetry.TokenUsage { InputTokens = 1000, OutputTokens = 100, CacheReadTokens = 20_000, CacheWrite5mTokens = 2000 },
            Live = new LiveResult
            {
                Outcomes =
                [
                    new BlockOutcome { Block = block, Compressor = "log", TokensBefore = 5000, TokensAfter = 1000 },
                    new BlockOutcome { Block = block with { Message = 1 }, Compressor = "json", TokensBefore = 3000, TokensAfter = 500, Replayed = true },
                ],
                Annotations = new Dictionary<string, object?> { [CacheNotes.AnnotationKey] = notes },
            },
        };

        var cost = CostModel.Compute(record, ModelPriceTable.Default);

        Assert.Equal(6500, cost.TokensSaved);
        Assert.Equal(0.018m, cost.BilledUsd);               // 1000·3 + 100·15 + 20000·0.3 + 2000·3.75
        Assert.Equal(0.0157500m, cost.CompressionSavedUsd); // fresh 4000 at the 5-min write price 3.75 + replayed 2500 at the read price 0.3
        Assert.Equal(0.0525m, cost.CachingSavedUsd);        // 22000·3 − (20000·0.3 + 2000·3.75)
        Assert.Equal(cost.BilledUsd + cost.CompressionSavedUsd + cost.CachingSavedUsd, cost.NoGatewayUsd);
    }
}
