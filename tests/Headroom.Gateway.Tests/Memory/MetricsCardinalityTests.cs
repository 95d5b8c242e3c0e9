using System.Diagnostics.Metrics;
using System.Globalization;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Telemetry;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Memory;

public sealed class MetricsCardinalityTests
{
    [Fact]
    public async Task Metrics_GatewayInstrumentWithManyTagValues_KeepsAtMostTheLimitOfSeries()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        // An instrument of the gateway's meter with far more distinct tag values than the limit.
        using var meter = new Meter(GatewayInstrumentation.Name);
        var counter = meter.CreateCounter<long>("headroom.test.cardinality");
        var distinct = GatewayHost.GatewayCardinalityLimit * 3;
        for (var i = 0; i < distinct; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("value", i.ToString(CultureInfo.InvariantCulture)));
        }

        var exposition = await gateway.Client.GetStringAsync("/metrics");
        var series = exposition.Split('\n').Count(l => l.StartsWith("headroom_test_cardinality_total{", StringComparison.Ordinal));

        Assert.InRange(series, 1, GatewayHost.GatewayCardinalityLimit + 1); // + the overflow series
        Assert.Contains("otel_metric_overflow=\"true\"", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ServeTheRuntimeGcFigures()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        GC.Collect();

        var exposition = await gateway.Client.GetStringAsync("/metrics");

        Assert.Contains("dotnet_gc_last_collection_heap_size_bytes{", exposition, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_last_collection_memory_committed_size_bytes", exposition, StringComparison.Ordinal);
    }
}
