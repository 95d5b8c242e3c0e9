using System.Text.Json;
using Headroom.Gateway.Forwarding;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Tests.Providers;

public sealed class GeminiRouteAndPriceTests
{
    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:generateContent", ApiKind.GeminiGenerate)]
    [InlineData("/v1beta/models/gemini-2.5-pro:streamGenerateContent", ApiKind.GeminiStream)]
    [InlineData("/v1beta/models/gemini-2.5-pro:countTokens", ApiKind.GeminiCountTokens)]
    [InlineData("/v1beta/tunedModels/my-model:generateContent", ApiKind.GeminiGenerate)]
    [InlineData("/v1/models/gemini-2.0-flash:generateContent", ApiKind.GeminiGenerate)]
    [InlineData("/v1beta/models", ApiKind.Other)]
    [InlineData("/v1beta/models/gemini-2.5-flash", ApiKind.Other)]
    [InlineData("/v1beta/models/gemini-2.5-flash:embedContent", ApiKind.Other)]
    [InlineData("/v1beta/cachedContents", ApiKind.Other)]
    [InlineData("/v1beta/cachedContents/abc:update", ApiKind.Other)]
    [InlineData("/upload/v1beta/files", ApiKind.Other)]
    public void Classify_GeminiPaths(string path, ApiKind api)
    {
        var route = RouteClassifier.Classify(path, new Headroom.Gateway.Hosting.HttpRequestHeaders(new HeaderDictionary()));

        Assert.Equal(new ProviderRoute(Provider.Gemini, api), route);
        // Model calls are walked (compression, replay, the retrieve tool); listings, caches and files stream through.
        Assert.Equal(api != ApiKind.Other, route.Walkable);
    }

    [Fact]
    public void Classify_OpenAIModelsListing_StaysOpenAI()
    {
        Assert.Equal(Provider.OpenAI, RouteClassifier.Classify("/v1/models/gpt-5", new Headroom.Gateway.Hosting.HttpRequestHeaders(new HeaderDictionary())).Provider);
    }

    [Theory]
    [InlineData(413, "INVALID_ARGUMENT")]
    [InlineData(502, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    [InlineData(500, "INTERNAL")]
    public void ErrorBody_IsAGoogleRpcStatus(int status, string name)
    {
        using var json = JsonDocument.Parse(ProviderErrors.Body(Provider.Gemini, status, "m"));

        var error = json.RootElement.GetProperty("error");
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(name, error.GetProperty("status").GetString());
        Assert.Equal("m", error.GetProperty("message").GetString());
        Assert.Single(json.RootElement.EnumerateObject());
    }

    [Fact]
    public void Prices_GeminiModelsArePriced_LongContextTierAbove200k()
    {
        var pro = ModelPriceTable.Default.Find("models/gemini-2.5-pro");

        Assert.NotNull(pro);
        Assert.Equal("gemini", pro.Provider);
        // 100k uncached in + 10k out: $0.125 + $0.10; 300k in crosses into the $2.50 / $15 tier.
        Assert.Equal(0.225m, pro.CostUsd(100_000, 10_000));
        Assert.Equal(0.90m, pro.CostUsd(300_000, 10_000));
        Assert.NotNull(ModelPriceTable.Default.Find("gemini-2.5-flash"));
        Assert.NotNull(ModelPriceTable.Default.Find("gemini-2.5-flash-lite"));
    }
}
