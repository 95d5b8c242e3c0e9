using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>The Headroom.Gateway ActivitySource and Meter, and OTLP/HTTP export.</summary>
public sealed class OpenTelemetryTests
{
    private const string Path = "/v1/messages";
    private static readonly string System = "You are an agent. " + Requests.Padding("policy", 800);

    [Fact]
    public async Task ProxiedCall_HasAGenAiSpan_AndHistograms()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Headroom.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentBag<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Headroom.Gateway")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        meters.Start();

        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 7, read: 2000, write5m: 300)));
        var (_, id, _) = await host.PostAsync(Path, Requests.Anthropic(System, 1, model: "claude-haiku-4-5"), "otel");
        await host.RecordAsync(id);

        // The ledger sees the record before the accountant (a later sink) ends the span: wait for it.
        for (var i = 0; i < 200 && !spans.Any(s => (string?)s.GetTagItem("headroom.request_id") == id); i++)
        {
            await Task.Delay(10);
        }

        var span = spans.Single(s => (string?)s.GetTagItem("headroom.request_id") == id);
        Assert.Equal("chat claude-haiku-4-5", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("anthropic", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("claude-haiku-4-5", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(2400L, span.GetTagItem("gen_ai.usage.input_tokens")); // including cached
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(2000L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(300L, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal("cold", span.GetTagItem("headroom.cache.verdict"));
        Assert.True(span.Duration > TimeSpan.Zero);

        // The histograms are recorded as the span ends, on the request's thread: wait for them too.
        string[] expected = ["gen_ai.client.token.usage", "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk", "headroom.gateway.overhead"];
        for (var i = 0; i < 200 && !expected.All(name => measurements.Any(m => m.Name == name && (string?)m.Tags.GetValueOrDefault("gen_ai.request.model") == "claude-haiku-4-5")); i++)
        {
            await Task.Delay(10);
        }

        meters.RecordObservableInstruments();
        var mine = measurements.Where(m => (string?)m.Tags.GetValueOrDefault("gen_ai.request.model") == "claude-haiku-4-5").ToList();
        Assert.Contains(mine, m => m.Name == "gen_ai.client.token.usage" && (string?)m.Tags["gen_ai.token.type"] == "input" && m.Value == 2400);
        Assert.Contains(mine, m => m.Name == "gen_ai.client.token.usage" && (string?)m.Tags["gen_ai.token.type"] == "output" && m.Value == 7);
        Assert.Contains(mine, m => m.Name == "gen_ai.client.operation.duration" && m.Value > 0);
        Assert.Contains(mine, m => m.Name == "gen_ai.client.operation.time_to_first_chunk");
        Assert.Contains(mine, m => m.Name == "headroom.gateway.overhead");
        Assert.DoesNotContain(mine, m => m.Tags.ContainsKey("headroom.request_id")); // no ids as metric tags
    }

    [Fact]
    public async Task OtlpEndpointSet_ExportsSpansOverHttpProtobuf()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await receiver.StartAsync();

        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 7)));
        var host = await CacheTestHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BoundAddress().ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        string id;
        try
        {
            (_, id, _) = await host.PostAsync(Path, Requests.Anthropic(System, 1, model: "claude-opus-4-5"), "otlp");
            await host.RecordAsync(id);
        }
        finally
        {
            await host.DisposeAsync(); // stopping flushes the exporters
        }

        var traces = received.Where(r => r.Path == "/v1/traces").Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.Contains(traces, t => t.Contains(id, StringComparison.Ordinal) && t.Contains("chat claude-opus-4-5", StringComparison.Ordinal) && t.Contains("gen_ai.usage.input_tokens", StringComparison.Ordinal));
        Assert.Contains(received, r => r.Path == "/v1/metrics" && Encoding.UTF8.GetString(r.Body).Contains("gen_ai.client.token.usage", StringComparison.Ordinal));
        await receiver.StopAsync();
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var t in tags)
        {
            d[t.Key] = t.Value;
        }

        return d;
    }
}
