using System.Diagnostics;
using System.Globalization;
using Headroom.Gateway.Pricing;
using Headroom.Media.Cost;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;

namespace Headroom.Bench.Media;

/// <summary>
/// Keyframe sampling on generated 1080p clips the thresholds were not set on (see <see cref="KeyframeClips"/>):
/// cuts, cross-fades and wipes, a pan, zooms, moving fractals, a static factory-camera view. For each clip and
/// provider, end to end (probe, analysis, JPEG extraction) at the production defaults: frames kept, scenes
/// represented (the oracle is the clip's recipe: a scene counts when a kept frame lies inside it), tokens
/// against naive 1 fps at source size, and wall time against real time.
/// Usage: <c>media-keyframes [CLIP.mp4 ...] [--clips NAME,NAME] [--runs N]</c>. Clips are generated once into
/// the temp directory (headroom-bench-media/keyframes/). Exit code 1 when a clip misses a scene, saves less
/// than 10× or samples slower than real time.
/// </summary>
internal static class MediaKeyframesBench
{
    private const double TargetReduction = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 1;
        var files = new List<string>();
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--clips" && i + 1 < args.Length)
            {
                only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            }
            else
            {
                files.Add(args[i]);
            }
        }

        var tools = FfmpegTools.Locate();
        var options = KeyframeOptions.Default;
        var prices = ModelPriceTable.Default;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"settings: production defaults (analysis {options.AnalysisFps} fps, {options.FramesPerMinute} frames per started minute, cap {options.MaxFrames}, cut {options.SceneCutThreshold}/{options.SceneCutAdaptiveRatio}x, content {options.ContentChangeThreshold}, steady {options.SteadyMaxDifference} for {options.SteadySeconds} s); naive = 1 fps at source size; data: generated clips, out of sample"));
        Console.WriteLine("clip               provider   run  wall s  video s  x real-time  frames  scenes  kept-in  tokens naive  tokens kept  ratio  USD naive  USD kept");
        var failed = false;
        var directory = Path.Combine(Path.GetTempPath(), "headroom-bench-media", "keyframes");
        var work = new List<(string Name, string Path, KeyframeClip? Clip)>();
        foreach (var clip in KeyframeClips.All.Where(c => only is null || only.Contains(c.Name)))
        {
            work.Add((clip.Name, await KeyframeClips.EnsureAsync(clip, tools.FfmpegPath, directory).ConfigureAwait(false), clip));
        }

        work.AddRange(files.Select(f => (Path.GetFileName(f), f, (KeyframeClip?)null)));
        foreach (var (name, path, clip) in work)
        {
            foreach (var (provider, model) in new[] { (MediaProvider.Anthropic, "claude-sonnet-4-5"), (MediaProvider.OpenAI, "gpt-4.1") })
            {
                for (var run = 1; run <= runs; run++)
                {
                    var stopwatch = Stopwatch.StartNew();
                    var result = await new KeyframeSampler(tools).SampleAsync(path, options with { Provider = provider }).ConfigureAwait(false);
                    stopwatch.Stop();
                    var cost = MediaCostEstimator.ForVideo(result.Video, result.Frames, provider, prices.Find(model)?.Input);
                    var factor = stopwatch.Elapsed.TotalSeconds / result.Video.DurationSeconds;
                    var (scenes, represented, missing) = clip is null ? (0, 0, new List<string>()) : Represented(clip, result.Frames);
                    var ok = factor < 1 && cost.Reduction >= TargetReduction && missing.Count == 0;
                    failed |= !ok;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-18} {provider,-10} {run,3}  {stopwatch.Elapsed.TotalSeconds,6:0.00}  {result.Video.DurationSeconds,7:0.0}  {factor,11:0.000}  {result.Frames.Count,6}  {scenes,6}  {represented,7}  {cost.TokensBefore,12:N0}  {cost.TokensAfter,11:N0}  {cost.Reduction,5:0.0}  {cost.UsdBefore,9:0.0000}  {cost.UsdAfter,8:0.0000}{(ok ? string.Empty : "  FAIL")}"));
                    if (run == 1)
                    {
                        var size = result.Frames.Count > 0 ? $"{result.Frames[0].Width}x{result.Frames[0].Height}, {result.Frames[0].Tokens} tokens each" : "-";
                        Console.WriteLine($"    kept ({size}): " + string.Join(", ", result.Frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.TimestampSeconds:0.0}s {f.ReasonName}"))));
                        if (missing.Count > 0)
                        {
                            Console.WriteLine("    missing scenes: " + string.Join(", ", missing));
                        }
                    }
                }
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary>
    /// The oracle: distinct scenes (segments that do not repeat an earlier one) and how many have a kept frame
    /// inside them (inside any segment showing the same picture), transitions excluded.
    /// </summary>
    private static (int Scenes, int Represented, List<string> Missing) Represented(KeyframeClip clip, IReadOnlyList<Keyframe> frames)
    {
        var spans = clip.Spans();
        var margin = clip.FadeSeconds;
        var missing = new List<string>();
        var scenes = 0;
        for (var s = 0; s < clip.Segments.Count; s++)
        {
            if (clip.Segments[s].SameAs is not null)
            {
                continue;
            }

            scenes++;
            var showings = Enumerable.Range(0, clip.Segments.Count).Where(i => i == s || clip.Segments[i].SameAs == s);
            var seen = showings.Any(i => frames.Any(f =>
                f.TimestampSeconds >= spans[i].Start + (i > 0 ? margin : 0) && f.TimestampSeconds < spans[i].End - (i < clip.Segments.Count - 1 ? margin : 0)));
            if (!seen)
            {
                missing.Add(clip.Segments[s].Label);
            }
        }

        return (scenes, scenes - missing.Count, missing);
    }
}
