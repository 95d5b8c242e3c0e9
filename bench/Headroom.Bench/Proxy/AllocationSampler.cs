using System.Diagnostics.Tracing;

namespace Headroom.Bench.Proxy;

/// <summary>
/// A cheap in-process allocation profiler: the runtime's GCAllocationTick event fires about once per
/// 100 KB allocated and names the type that crossed the line, so tick counts per type approximate
/// where the bytes go.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, int> _ticks = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var index = eventData.PayloadNames.IndexOf("TypeName");
        var type = index >= 0 ? eventData.Payload?[index] as string ?? "?" : "?";
        lock (_ticks)
        {
            _ticks[type] = _ticks.GetValueOrDefault(type) + 1;
        }
    }

    /// <summary>Returns the ticks per type seen since the last call, and starts over.</summary>
    public Dictionary<string, int> Take()
    {
        lock (_ticks)
        {
            var copy = new Dictionary<string, int>(_ticks, StringComparer.Ordinal);
            _ticks.Clear();
            return copy;
        }
    }
}
