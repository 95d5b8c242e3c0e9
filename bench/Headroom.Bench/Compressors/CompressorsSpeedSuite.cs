using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Headroom.Bench.Compressors;

/// <summary>
/// <c>compressors-speed [--cpu | BenchmarkDotNet args]</c>: tokenizer and compressor throughput on 1 MB
/// inputs, and our tokenizer against Microsoft.ML.Tokenizers (<c>--filter *TokenizerBenchmarks*</c>). Runs in process (ShortRun: 3 warm-ups, 3 iterations): generating and building a
/// separate benchmark project of the whole gateway takes minutes on a shared build machine.
/// </summary>
internal static class CompressorsSpeedSuite
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args is ["--cpu"])
        {
            return Task.FromResult(CpuTimeReport.Run());
        }

        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
        var summary = BenchmarkSwitcher.FromTypes([typeof(CompressorBenchmarks), typeof(Tokens.TokenizerBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return Task.FromResult(summary.Any(s => s.HasCriticalValidationErrors) ? 1 : 0);
    }
}
