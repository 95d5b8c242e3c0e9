using System.Diagnostics;
using System.Globalization;
using Headroom.Gateway.Pricing;
using Headroom.Media.Cost;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;

namespace Headroom.Bench.Media;

/// <summary>
/// Issue 7 §8: a 60 s 1080p30 H.264 clip (five scenes: an animated test card, noisy colour bars, a 10 s pan
/// across a two-screen-wide chart, a noisy gradient, then the first scene again) is sampled end to end
/// (probe + analysis + JPEG extraction) for each provider; reports wall time against real time and tokens
/// before (1 fps at source size) and after.
/// Usage: <c>media-keyframes [CLIP.mp4] [--runs N]</c>. Without a clip one is generated once into
/// the temp directory (headroom-bench-media/clip1080.mp4) and reused. Exit code 1 when slower than real time.
/// </summary>
internal static class MediaKeyframesBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 3;
        string? clip = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                clip = args[i];
            }
        }

        var tools = FfmpegTools.Locate();
        clip ??= await EnsureClipAsync(tools).ConfigureAwait(false);
        var prices = ModelPriceTable.Default;
        var slow = false;
        Console.WriteLine($"clip: {clip}");
        Console.WriteLine("provider   model              run  wall s  video s  x real-time  frames  tokens before  tokens after  ratio  USD before  USD after");
        foreach (var (provider, model) in new[] { (MediaProvider.Anthropic, "claude-sonnet-4-5"), (MediaProvider.OpenAI, "gpt-4.1") })
        {
            for (var run = 1; run <= runs; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                var result = await new KeyframeSampler(tools).SampleAsync(clip, KeyframeOptions.Default with { Provider = provider }).ConfigureAwait(false);
                stopwatch.Stop();
                var cost = MediaCostEstimator.ForVideo(result.Video, result.Frames, provider, prices.Find(model)?.Input);
                var factor = stopwatch.Elapsed.TotalSeconds / result.Video.DurationSeconds;
                slow |= factor >= 1;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{provider,-10} {model,-18} {run,3}  {stopwatch.Elapsed.TotalSeconds,6:0.00}  {result.Video.DurationSeconds,7:0.0}  {factor,11:0.000}  {result.Frames.Count,6}  {cost.TokensBefore,13:N0}  {cost.TokensAfter,12:N0}  {cost.Reduction,5:0.0}  {cost.UsdBefore,10:0.0000}  {cost.UsdAfter,9:0.0000}"));
                if (run == 1)
                {
                    Console.WriteLine("           kept at: " + string.Join(", ", result.Frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.TimestampSeconds:0.0}s {f.Reason}"))));
                }
            }
        }

        return slow ? 1 : 0;
    }

    private static async Task<string> EnsureClipAsync(FfmpegTools tools)
    {
        var dir = Path.Combine(Path.GetTempPath(), "headroom-bench-media");
        Directory.CreateDirectory(dir);
        var clip = Path.Combine(dir, "clip1080.mp4");
        if (File.Exists(clip))
        {
            return clip;
        }

        Console.WriteLine($"generating {clip} (once)...");
        var partial = clip + ".partial.mp4";
        string[] arguments =
        [
            "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=12",
            "-f", "lavfi", "-i", "smptehdbars=s=1920x1080:r=30:d=12",
            "-f", "lavfi", "-i", "testsrc=s=3840x1080:r=30:d=10",
            "-f", "lavfi", "-i", "yuvtestsrc=s=1920x1080:r=30:d=14",
            "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=12",
            "-filter_complex",
            "[0:v]setsar=1,format=yuv420p[a];[1:v]noise=alls=8:allf=t,setsar=1,format=yuv420p[b];" +
            "[2:v]crop=1920:1080:'min(t*192,1920)':0,setsar=1,format=yuv420p[c];[3:v]noise=alls=6:allf=t,setsar=1,format=yuv420p[d];" +
            "[4:v]setsar=1,format=yuv420p[e];[a][b][c][d][e]concat=n=5:v=1:a=0[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", "60", "-pix_fmt", "yuv420p", partial,
        ];
        var info = new ProcessStartInfo(tools.FfmpegPath) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("Generating the benchmark clip failed: " + stderr);
        }

        File.Move(partial, clip);
        return clip;
    }
}
