using System.Globalization;

namespace Headroom.Bench.Soak;

/// <summary>
/// The gateway's own GC figures, read from its Prometheus /metrics (the runtime's System.Runtime meter):
/// managed heap size and committed bytes as of the last collection. NaN when the endpoint does not serve them.
/// </summary>
internal readonly record struct RuntimeMetrics(double HeapMb, double CommittedMb, double FragmentationMb, long Collections)
{
    public static readonly RuntimeMetrics Unknown = new(double.NaN, double.NaN, double.NaN, -1);

    public static async Task<RuntimeMetrics> ScrapeAsync(HttpClient http, Uri gateway)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri(gateway, "metrics")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return Unknown;
        }

        var heap = Sum(text, "dotnet_gc_last_collection_heap_size_bytes");
        var committed = Sum(text, "dotnet_gc_last_collection_memory_committed_size_bytes");
        var fragmentation = Sum(text, "dotnet_gc_last_collection_heap_fragmentation_size_bytes");
        var collections = Sum(text, "dotnet_gc_collections_total");
        return new RuntimeMetrics(heap / 1048576.0, committed / 1048576.0, fragmentation / 1048576.0, double.IsNaN(collections) ? -1 : (long)collections);
    }

    /// <summary>Sum of every sample of one metric (all label sets), NaN when it is absent.</summary>
    private static double Sum(string exposition, string metric)
    {
        var total = double.NaN;
        foreach (var raw in exposition.AsSpan().EnumerateLines())
        {
            if (!raw.StartsWith(metric, StringComparison.Ordinal) || raw.Length <= metric.Length || raw[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            // "name{labels} value [timestamp]": the value follows the closing brace (or the name).
            var line = raw[metric.Length..];
            if (line[0] == '{')
            {
                var close = line.LastIndexOf('}');
                line = line[(close + 1)..];
            }

            line = line.Trim();
            var space = line.IndexOf(' ');
            if (double.TryParse(space < 0 ? line : line[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                total = double.IsNaN(total) ? value : total + value;
            }
        }

        return total;
    }
}
