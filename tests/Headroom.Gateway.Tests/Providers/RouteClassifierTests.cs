using Headroom.Gateway.Providers;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Tests.Providers;

public sealed class RouteClassifierTests
{
    [Theory]
    [InlineData("/v1/messages", "", Provider.Anthropic, ApiKind.AnthropicMessages)]
    [InlineData("/v1/messages/count_tokens", "", Provider.Anthropic, ApiKind.AnthropicCountTokens)]
    [InlineData("/v1/messages/batches", "", Provider.Anthropic, ApiKind.Other)]
    [InlineData("/v1/chat/completions", "x-api-key", Provider.OpenAI, ApiKind.OpenAIChat)]
    [InlineData("/v1/responses", "", Provider.OpenAI, ApiKind.OpenAIResponses)]
    [InlineData("/v1/responses/resp_1/input_items", "", Provider.OpenAI, ApiKind.Other)]
    [InlineData("/v1/embeddings", "", Provider.OpenAI, ApiKind.Other)]
    [InlineData("/v1/models", "anthropic-version", Provider.Anthropic, ApiKind.Other)]
    [InlineData("/v1/models", "x-api-key", Provider.Anthropic, ApiKind.Other)]
    [InlineData("/v1/models", "authorization", Provider.OpenAI, ApiKind.Other)]
    [InlineData("/v1/files", "", Provider.OpenAI, ApiKind.Other)]
    [InlineData("/v1/messagesX", "", Provider.OpenAI, ApiKind.Other)]
    public void Classify_FollowsTheDocumentedRule(string path, string header, Provider provider, ApiKind api)
    {
        var headers = new HeaderDictionary();
        if (header.Length > 0)
        {
            headers[header] = "v";
        }

        Assert.Equal(new ProviderRoute(provider, api), RouteClassifier.Classify(path, new Headroom.Gateway.Hosting.HttpRequestHeaders(headers)));
    }

    [Fact]
    public async Task SharedPath_GoesWhereTheHeadersSay()
    {
        await using var anthropic = await ScriptedUpstream.StartAsync();
        await using var openai = await ScriptedUpstream.StartAsync();
        anthropic.Always("/v1/models", UpstreamReply.Json("{\"data\":[],\"from\":\"anthropic\"}"));
        openai.Always("/v1/models", UpstreamReply.Json("{\"data\":[],\"from\":\"openai\"}"));
        await using var gateway = await TestGateway.StartAsync(anthropic.BaseUrl, openai.BaseUrl);

        using var a = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        a.Headers.Add("x-api-key", "k");
        a.Headers.Add("anthropic-version", "2023-06-01");
        using var o = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        o.Headers.Add("Authorization", "Bearer k");

        Assert.Contains("anthropic", await (await gateway.Client.SendAsync(a)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("openai", await (await gateway.Client.SendAsync(o)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
