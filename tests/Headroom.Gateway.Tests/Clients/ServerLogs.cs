using System.Globalization;
using System.Text;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>Two ~25 KB service logs for a shell tool to print: mostly routine INFO lines, a few that matter.</summary>
public static class ServerLogs
{
    public const int InfoLines = 328;
    public const string FirstInvoice = "inv_4121";
    public const string SecondInvoice = "inv_4287";

    private static readonly string[] Services = ["api", "worker", "scheduler", "auth", "cache", "billing", "gateway", "search"];

    /// <summary>server.log: 328 INFO request lines and two billing errors (lines 118 and 255).</summary>
    public static string Server()
    {
        var log = new StringBuilder();
        for (var i = 0; i < InfoLines + 2; i++)
        {
            var at = $"2026-11-22T03:{i / 60 % 60:D2}:{i % 60:D2}.{i * 37 % 1000:D3}Z";
            var line = i switch
            {
                117 => $"{at} ERROR [billing] charge failed for invoice {FirstInvoice} customer=cus_8811 amount=129.00 EUR reason=card_declined attempt=3",
                254 => $"{at} ERROR [billing] charge failed for invoice {SecondInvoice} customer=cus_9177 amount=47.50 EUR reason=processor_timeout attempt=1",
                _ => $"{at} INFO [{Services[i % Services.Length]}] GET /v2/{Services[i % Services.Length]}/items/{i * 7919 % 10007} 200 {i * 13 % 250 + 3}ms",
            };
            log.Append(line).Append('\n');
        }

        return log.ToString();
    }

    /// <summary>other.log: a queue consumer's 322 INFO lines with one slow-batch warning.</summary>
    public static string Other()
    {
        var log = new StringBuilder();
        for (var i = 0; i < 323; i++)
        {
            var at = $"2026-11-22T04:{i / 60 % 60:D2}:{i % 60:D2}.{i * 53 % 1000:D3}Z";
            log.Append(i == 201
                ? $"{at} WARN [exporter] batch b_{9000 + i} took 8412ms (limit 5000ms), 3 rows deferred"
                : string.Create(CultureInfo.InvariantCulture, $"{at} INFO [consumer] partition={i % 6} offset={100000 + i * 17} acked batch b_{9000 + i} rows={i * 31 % 90 + 10}"));
            log.Append('\n');
        }

        return log.ToString();
    }
}
