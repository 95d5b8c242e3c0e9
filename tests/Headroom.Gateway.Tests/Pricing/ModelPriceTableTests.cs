using Headroom.Gateway.Pricing;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Tests.Pricing;

public sealed class ModelPriceTableTests
{
    [Theory]
    [InlineData("claude-opus-4-5", 5, 25)]
    [InlineData("claude-opus-4-1-20250805", 15, 75)]
    [InlineData("claude-opus-4-20250514", 15, 75)]
    [InlineData("claude-sonnet-4-5-20250929", 3, 15)]
    [InlineData("claude-sonnet-4-0", 3, 15)]
    [InlineData("CLAUDE-HAIKU-4-5", 1, 5)]
    [InlineData("claude-3-5-haiku-latest", 0.8, 4)]
    [InlineData("gpt-4o", 2.5, 10)]
    [InlineData("gpt-4o-2024-08-06", 2.5, 10)]
    [InlineData("gpt-4o-2024-05-13", 5, 15)]
    [InlineData("gpt-4o-mini-2024-07-18", 0.15, 0.6)]
    [InlineData("gpt-4.1-mini", 0.4, 1.6)]
    [InlineData("gpt-5", 1.25, 10)]
    [InlineData("gpt-5-codex", 1.25, 10)]
    [InlineData("openai/gpt-5-mini", 0.25, 2)]
    [InlineData("anthropic/claude-sonnet-4-5", 3, 15)]
    public void Find_KnownModels(string model, double input, double output)
    {
        var price = ModelPriceTable.Default.Find(model);

        Assert.NotNull(price);
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
    }

    [Theory]
    [InlineData("claude-opus-4-7")]
    [InlineData("gpt-4o-audio-preview")]
    [InlineData("llama-3-70b")]
    [InlineData("")]
    [InlineData(null)]
    public void Find_UnknownModel_Null(string? model)
    {
        Assert.Null(ModelPriceTable.Default.Find(model));
    }

    [Fact]
    public void Default_CachePricesFollowProviderRules()
    {
        var sonnet = ModelPriceTable.Default.Find("claude-sonnet-4-5")!;
        Assert.Equal(sonnet.Input * 1.25m, sonnet.CacheWrite5m);
        Assert.Equal(sonnet.Input * 2m, sonnet.CacheWrite1h);
        Assert.Equal(sonnet.Input * 0.1m, sonnet.CacheRead);
        Assert.Equal("anthropic", sonnet.Provider);

        var gpt = ModelPriceTable.Default.Find("gpt-4.1")!;
        Assert.Equal(gpt.Input, gpt.CacheWrite5m);
        Assert.Equal(0.5m, gpt.CacheRead);
        Assert.Equal("openai", gpt.Provider);
    }

    [Fact]
    public void CostUsd_AllFiveMeters_AndLongContextTier()
    {
        var sonnet = ModelPriceTable.Default.Find("claude-sonnet-4-5")!;

        Assert.Equal((1000 * 3m + 500 * 15m + 10_000 * 0.3m + 2000 * 3.75m + 1000 * 6m) / 1_000_000m, sonnet.CostUsd(1000, 500, 10_000, 2000, 1000));
        Assert.Equal((250_000 * 6m + 100 * 22.5m) / 1_000_000m, sonnet.CostUsd(250_000, 100));
        Assert.Equal((1000 * 0.3m + 100 * 15m) / 1_000_000m, sonnet.CostUsd(0, 100, cacheRead: 1000));
        Assert.Null(ModelPriceTable.Default.Find("gpt-4.1")!.LongContext);
    }

    [Fact]
    public void FromConfiguration_FileOverridesAndExtends()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { "models": [
                  { "id": "gpt-4o", "provider": "openai", "input": 1, "output": 2 },
                  { "id": "my-local-model", "provider": "openai", "aliases": ["local"], "input": 0.01, "output": 0.02, "cacheRead": 0.001 }
                ] }
                """);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ModelPriceTable.ConfigurationKey] = path }).Build();

            var table = ModelPriceTable.FromConfiguration(configuration);

            Assert.Equal(1m, table.Find("gpt-4o")!.Input);
            Assert.Equal(1m, table.Find("gpt-4o")!.CacheRead); // no cache price given: no discount
            Assert.Equal(0.001m, table.Find("local")!.CacheRead);
            Assert.Equal(3m, table.Find("claude-sonnet-4-5")!.Input);
            Assert.Equal(2.5m, ModelPriceTable.Default.Find("gpt-4o")!.Input);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "nomodels": [] }""")]
    [InlineData("""{ "models": [ { "id": "x", "output": 1 } ] }""")]
    [InlineData("""{ "models": [ { "id": "x", "input": -1, "output": 1 } ] }""")]
    [InlineData("""{ "models": [ { "input": 1, "output": 1 } ] }""")]
    public void Parse_InvalidFile_ClearError(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));

        var error = Assert.Throws<InvalidDataException>(() => ModelPriceTable.Parse(stream, "prices-test.json"));

        Assert.Contains("prices-test.json", error.Message, StringComparison.Ordinal);
    }
}
