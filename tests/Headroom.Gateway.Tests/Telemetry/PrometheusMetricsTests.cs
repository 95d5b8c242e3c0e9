using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>/metrics: the gateway's meter in Prometheus exposition, admin-gated, with low-cardinality labels only.</summary>
public sealed class PrometheusMetricsTests
{
    private const string Model = "claude-prometheus-scrape-test";

    [Fact]
    public async Task Metrics_ExposeGenAiHistograms_SavingsByCompressor_AndTheStore_WithoutIds()
    {
        var log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "OpenStack", "OpenStack_2k.log")).Take(400));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json").Replace("claude-sonnet-4-5-20250929", Model, StringComparison.Ordinal)));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var body = new JsonObject
        {
            ["model"] = Model,
            ["max_tokens"] = 16,
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = "which instance failed?" },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat nova.log" } } } },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t1", ["content"] = log } } },
            },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-metrics");
        using var response = await gateway.Client.SendAsync(request);
        await gateway.WaitForRecordAsync(response.Headers.GetValues("x-headroom-request-id").Single());

        string metrics = "";
        for (var i = 0; i < 100 && !metrics.Contains(Model, StringComparison.Ordinal); i++)
        {
            metrics = await gateway.Client.GetStringAsync("/metrics");
            await Task.Delay(50);
        }

        Assert.Contains("gen_ai_client_token_usage", metrics, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_duration", metrics, StringComparison.Ordinal);
        Assert.Contains($"gen_ai_request_model=\"{Model}\"", metrics, StringComparison.Ordinal);
        Assert.Contains("headroom_compressor_tokens_saved", metrics, StringComparison.Ordinal);
        Assert.Contains("headroom_compressor=\"log\"", metrics, StringComparison.Ordinal);
        Assert.Contains("headroom_store_spool_size", metrics, StringComparison.Ordinal);
        Assert.Contains("headroom_store_backlog", metrics, StringComparison.Ordinal);
        // Low cardinality: no request, session or tenant ids as labels.
        Assert.DoesNotContain("request_id", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("session", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithAnAdminToken_RequireIt()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "metrics-s3cret" });

        using var denied = await gateway.Client.GetAsync("/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer metrics-s3cret");
        using var allowed = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Empty(upstream.Requests); // never forwarded to the provider
    }
}
