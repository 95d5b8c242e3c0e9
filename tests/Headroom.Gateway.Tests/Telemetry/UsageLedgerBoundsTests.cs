using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>The in-process summary stays bounded whatever clients send: tool names are theirs, bodies are large.</summary>
public sealed class UsageLedgerBoundsTests
{
    private static RequestRecord Record(int i, string tool, byte[]? forwarded = null) => new()
    {
        RequestId = "r" + i,
        StartedAt = DateTimeOffset.UtcNow,
        Provider = Provider.Anthropic,
        Api = ApiKind.AnthropicMessages,
        Method = "POST",
        Path = "/v1/messages",
        Status = 200,
        Live = new LiveResult
        {
            Body = forwarded,
            Outcomes = [new BlockOutcome { Block = new ContextBlock { Message = 2, Block = 0, Role = "user", Kind = BlockKind.ToolOutput, Start = 0, End = 4000, ToolName = tool } }],
        },
    };

    [Fact]
    public void ManyDistinctToolNames_ShareOneRowPastTheCap()
    {
        var ledger = new UsageLedger();
        for (var i = 0; i < 50_000; i++)
        {
            ledger.Record(Record(i, "mcp__tool_" + i));
        }

        var tools = ledger.Summary().Tools;
        Assert.Equal(UsageLedger.ToolCapacity + 1, tools.Count);
        Assert.Equal(50_000 - UsageLedger.ToolCapacity, tools.Single(t => t.Tool == UsageLedger.OtherTools).Outputs);
    }

    [Fact]
    public void RecentRequests_DoNotHoldForwardedBodies()
    {
        var ledger = new UsageLedger();
        ledger.Record(Record(1, "Bash", new byte[1024 * 1024]));

        var recent = Assert.Single(ledger.Snapshot().Recent);
        Assert.Null(recent.Live!.Body);
        Assert.Single(recent.Live.Outcomes);
    }
}
