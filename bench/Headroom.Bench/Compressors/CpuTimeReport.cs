using Headroom.Compressors.Budget;
using System.Globalization;

namespace Headroom.Bench.Compressors;

/// <summary>
/// <c>compressors-speed --cpu</c>: the same 1 MB workloads as <see cref="CompressorBenchmarks"/>,
/// timed in thread CPU time (median and p99 of 30 runs after 3 warm-ups), with MB/s.
/// </summary>
internal static class CpuTimeReport
{
    public static int Run()
    {
        if (!ThreadCpuClock.IsSupported)
        {
            Console.Error.WriteLine("--cpu needs Linux (CLOCK_THREAD_CPUTIME_ID).");
            return 2;
        }

        var b = new CompressorBenchmarks();
        b.Setup();
        var cases = new (string Name, Func<object> Run)[]
        {
            ("o200k count 1 MB logs", () => b.CountLogs()),
            ("o200k count 1 MB prose", () => b.CountProse()),
            ("detect 1 MB logs", () => b.Detect()),
            ("log compressor 1 MB", () => b.LogCompressorOnly()),
            ("json compressor 1 MB", () => b.JsonCompressorOnly()),
            ("search compressor 1 MB", () => b.SearchCompressorOnly()),
            ("diff compressor 1 MB", () => b.DiffCompressorOnly()),
            ("pipeline 1 MB log", () => b.Log()),
            ("pipeline 1 MB json", () => b.Json()),
            ("pipeline 1 MB search", () => b.Search()),
            ("pipeline 1 MB diff", () => b.Diff()),
        };
        Console.WriteLine("pipeline = hash + o200k count of input and output + compressor + guards + byte span map");
        Console.WriteLine($"{"workload (thread CPU time)",-28}{"median ms",11}{"p99 ms",9}{"MB/s",9}");
        foreach (var (name, run) in cases)
        {
            for (var i = 0; i < 3; i++)
            {
                run();
            }

            var times = new List<double>();
            for (var i = 0; i < 30; i++)
            {
                var start = ThreadCpuClock.Now();
                run();
                times.Add((ThreadCpuClock.Now() - start).TotalMilliseconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28}{median,11:F1}{times[(int)Math.Ceiling(0.99 * times.Count) - 1],9:F1}{1000.0 / median,9:F1}"));
        }

        return 0;
    }
}
