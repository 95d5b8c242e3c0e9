using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Exports the <c>Headroom.Gateway</c> spans and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (environment or configuration); <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> = <c>grpc</c> (default) or
/// <c>http/protobuf</c>. Stopping the host flushes what is pending. Exporters never throw into requests.
/// </summary>
internal sealed partial class OtlpExport : IHostedService, IDisposable
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    private readonly IConfiguration _configuration;
    private readonly ILogger<OtlpExport> _logger;
    private TracerProvider? _tracer;
    private MeterProvider? _meter;

    public OtlpExport(IConfiguration configuration, ILogger<OtlpExport> logger)
    {
        _configuration = configuration;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = _configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            return Task.CompletedTask;
        }

        var http = string.Equals(_configuration[ProtocolKey], "http/protobuf", StringComparison.OrdinalIgnoreCase);
        Uri Target(string signal) => new(http ? endpoint.TrimEnd('/') + "/v1/" + signal : endpoint);
        var protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        var resource = ResourceBuilder.CreateDefault().AddService("headroom-gateway", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString());
        _tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(GatewayInstrumentation.Name)
            // The parent (ASP.NET Core's request activity) is usually unsampled: keep every gateway span anyway.
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Endpoint = Target("traces");
                o.Protocol = protocol;
            })
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(GatewayInstrumentation.Name)
            .AddOtlpExporter((o, reader) =>
            {
                o.Endpoint = Target("metrics");
                o.Protocol = protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 15_000;
            })
            .Build();
        Log.Exporting(_logger, endpoint, http ? "http/protobuf" : "grpc");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // Disposing flushes the batch processors and the periodic metric reader.
        _tracer?.Dispose();
        _meter?.Dispose();
        _tracer = null;
        _meter = null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Exporting Headroom.Gateway traces and metrics over OTLP to {Endpoint} ({Protocol})")]
        public static partial void Exporting(ILogger logger, string endpoint, string protocol);
    }
}
