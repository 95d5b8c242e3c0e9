using System.Text;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Tests.Providers;

/// <summary>Gemini's <c>usageMetadata</c> read into the normalised <see cref="TokenUsage"/>.</summary>
public sealed class GeminiUsageTests
{
    [Fact]
    public void UsageMetadata_CachedOutOfInput_ToolUseIntoInput_ThoughtsIntoOutput()
    {
        var usage = new UsageAccumulator();

        usage.Observe(Encoding.UTF8.GetBytes(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]}}],\"usageMetadata\":{\"promptTokenCount\":500,\"cachedContentTokenCount\":200," +
            "\"toolUsePromptTokenCount\":40,\"candidatesTokenCount\":9,\"thoughtsTokenCount\":11,\"totalTokenCount\":560},\"modelVersion\":\"gemini-2.5-pro\"}"));

        Assert.Equal(new TokenUsage { InputTokens = 340, CacheReadTokens = 200, OutputTokens = 20 }, usage.Usage);
        Assert.Equal("gemini-2.5-pro", usage.Model);
    }

    [Theory]
    [InlineData("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"log\",\"args\":{\"usageMetadata\":{\"promptTokenCount\":999}}}}]}}]}")]
    [InlineData("{\"promptFeedback\":{\"usageMetadata\":{\"promptTokenCount\":999}}}")]
    [InlineData("[{\"candidates\":[{\"usageMetadata\":{\"promptTokenCount\":999}}]}]")]
    public void UsageMetadata_BelowTheTop_IsNotBillingData(string json)
    {
        var usage = new UsageAccumulator();

        usage.Observe(Encoding.UTF8.GetBytes(json));

        Assert.Null(usage.Usage);
    }

    [Fact]
    public void Sse_NoDoneMarker_LastEventsUsageWins_CrLfSeparators()
    {
        var usage = new UsageAccumulator();
        using var reader = new SseUsageReader(usage);

        reader.Feed(Encoding.UTF8.GetBytes("data: {\"usageMetadata\":{\"promptTokenCount\":70,\"candidatesTokenCount\":1},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n"));
        reader.Feed(Encoding.UTF8.GetBytes("data: {\"usageMetadata\":{\"promptTokenCount\":70,\"candidatesTokenCount\":6,\"thoughtsTokenCount\":4}}\r\n\r\n"));
        reader.Complete();

        Assert.Equal(new TokenUsage { InputTokens = 70, OutputTokens = 10 }, usage.Usage);
        Assert.Equal("gemini-2.5-flash", usage.Model);
    }
}
