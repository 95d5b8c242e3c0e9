using System.Text;
using System.Text.Json;
using Headroom.Provenance.Events;
using Headroom.Provenance.Projections;
using Xunit;

namespace Headroom.Provenance.Tests.Projections;

/// <summary>
/// The telemetry summary reads each stored request_completed event with its own reader pass
/// (<see cref="CompletedFigures.Read"/>); System.Text.Json deserializing the same type is the oracle.
/// </summary>
public sealed class CompletedFiguresTests
{
    private static RequestCompleted Event(string? model, IReadOnlyList<ContextBlock> blocks, TokenUsage usage, int status = 200) => new()
    {
        RequestId = "01M8X93SH4DZV66MR121J8RPY2",
        Timestamp = new DateTimeOffset(2026, 12, 3, 6, 22, 49, 892, TimeSpan.FromHours(1)).AddTicks(2544),
        SessionId = "h_089e2076ba9fd6265bb404c9",
        Provider = "anthropic",
        Model = model,
        Route = "/v1/messages",
        Tenant = "t_4bd25304a7d6822ed4497ed5e187187b",
        Status = status,
        Usage = usage,
        ResponseModel = "claude-sonnet-4-5-20250929",
        TtfbMs = 16.4845,
        TotalMs = 16.5296,
        OverheadMs = 11.5869,
        Accounting = new RequestAccounting { BilledUsd = 0.0027168m, Verdict = "hit", CacheCheck = "consistent" },
        Blocks = blocks,
    };

    public static TheoryData<string> Events()
    {
        ContextBlock[] blocks =
        [
            new() { Kind = "system", Role = "system", Message = -1, TokensBefore = 39, TokensAfter = 39 },
            new() { Kind = "tool_call", Role = "assistant", Message = 1, Block = 1, Tool = "Bash", ToolUseId = "toolu_1", Command = "dotnet build 2>&1 | tail -n 400 \"quoted\" \u00e9", TokensBefore = 33, TokensAfter = 33 },
            new()
            {
                Kind = "tool_output", Role = "user", Message = 2, Tool = "Bash", TokensBefore = 4000, TokensAfter = 310, Compressor = "log", Hash = "0123456789abcdef01234567",
                Spans = [[0, 10, 0, 10], [10, 40, 200, 3900]], Output = "kept {\"nested\": [1, 2]}\n... 40 lines omitted: retrieve 0123456789abcdef01234567",
            },
        ];
        var usage = new TokenUsage { InputTokens = 512, OutputTokens = 48, CacheReadTokens = 1536, CacheWrite5mTokens = 7, CacheWrite1hTokens = 9 };
        return new TheoryData<string>
        {
            Json(Event("claude-sonnet-4-5-20250929", blocks, usage)),
            Json(Event(null, [], TokenUsage.Empty, status: 502)),
            Json(Event("gpt-5", blocks[..1], usage) with { RequestId = "with \"escapes\" \\ and \u2603" }),
        };
    }

    private static string Json(RequestCompleted e) => Encoding.UTF8.GetString(EventSerializer.Serialize(e).Data);

    [Theory]
    [MemberData(nameof(Events))]
    public void Read_GivesWhatSystemTextJsonReadsFromTheSameEvent(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var expected = JsonSerializer.Deserialize(bytes, ProvenanceStateJsonContext.Default.CompletedFigures)!;

        var read = CompletedFigures.Read(bytes);

        Assert.Equal(expected.RequestId, read.RequestId);
        Assert.Equal(expected.Timestamp, read.Timestamp);
        Assert.Equal(expected.Timestamp.Offset, read.Timestamp.Offset);
        Assert.Equal(expected.Provider, read.Provider);
        Assert.Equal(expected.Model, read.Model);
        Assert.Equal(expected.Status, read.Status);
        Assert.Equal(expected.TotalMs, read.TotalMs);
        Assert.Equal(
            (expected.Usage.InputTokens, expected.Usage.OutputTokens, expected.Usage.CacheReadTokens, expected.Usage.CacheWrite5mTokens, expected.Usage.CacheWrite1hTokens),
            (read.Usage.InputTokens, read.Usage.OutputTokens, read.Usage.CacheReadTokens, read.Usage.CacheWrite5mTokens, read.Usage.CacheWrite1hTokens));
        Assert.Equal(expected.Blocks.Select(b => (b.TokensBefore, b.TokensAfter)), read.Blocks.Select(b => (b.TokensBefore, b.TokensAfter)));
    }

    [Fact]
    public void Read_OfAStoredEvent_HasEveryFigureTheSummaryFolds()
    {
        var json = EventSerializer.Serialize(Event("claude-sonnet-4-5-20250929", [new() { Kind = "text", Role = "user", TokensBefore = 11, TokensAfter = 7 }], new TokenUsage { InputTokens = 5, OutputTokens = 6, CacheReadTokens = 7, CacheWrite5mTokens = 8, CacheWrite1hTokens = 9 })).Data;

        var read = CompletedFigures.Read(json);

        Assert.Equal(("01M8X93SH4DZV66MR121J8RPY2", "anthropic", "claude-sonnet-4-5-20250929", 200, 16.5296), (read.RequestId, read.Provider, read.Model, read.Status, read.TotalMs));
        Assert.Equal((5L, 6L, 7L, 8L, 9L), (read.Usage.InputTokens, read.Usage.OutputTokens, read.Usage.CacheReadTokens, read.Usage.CacheWrite5mTokens, read.Usage.CacheWrite1hTokens));
        Assert.Equal((11, 7), (Assert.Single(read.Blocks).TokensBefore, read.Blocks[0].TokensAfter));
    }
}
