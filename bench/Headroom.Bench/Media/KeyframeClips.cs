using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Headroom.Bench.Media;

/// <summary>
/// The evaluation clips for keyframe sampling, generated with ffmpeg's lavfi sources into the temp directory
/// once and reused. None of these sources or motions is used by the unit tests the thresholds were set
/// against (testsrc2, smptebars, rgbtestsrc, yuvtestsrc, pal75bars, solid colours): the clips are out of sample.
/// </summary>
internal static class KeyframeClips
{
    private const string Hd = "scale=1920:1080:flags=bicubic,setsar=1,fps=25,format=yuv420p";

    public static IReadOnlyList<KeyframeClip> All { get; } =
    [
        new("four-scenes", "60 s, four scenes with hard cuts; the second a continuously zooming fractal",
        [
            new("colour chart", "colorchart=rate=25:duration=15:patch_size=64x64", Hd, 15),
            new("mandelbrot zoom", "mandelbrot=s=480x270:rate=25:end_pts=15:maxiter=256", "trim=duration=15," + Hd, 15),
            new("cellular automaton scrolling", "cellauto=s=480x270:rate=25:rule=110", "trim=duration=15,scale=1920:1080:flags=neighbor,setsar=1,fps=25,format=yuv420p", 15),
            new("sierpinski carpet moving", "sierpinski=s=1920x1080:rate=25:type=carpet", "trim=duration=15," + Hd, 15),
        ]),
        new("fades", "48 s, four scenes joined by 1.5 s cross-fades, wipes and dissolves (no hard cut)",
        [
            new("colour spectrum", "colorspectrum=s=1920x1080:rate=25:d=12:type=all", Hd, 12),
            new("colour chart", "colorchart=rate=25:duration=12:patch_size=64x64:preset=skintones", Hd, 12),
            new("slow gradients", "gradients=s=1920x1080:rate=25:d=12:speed=0.002:n=3:seed=7", Hd, 12),
            new("game of life", "life=s=480x270:rate=25:mold=10:ratio=0.1:death_color=#202040:life_color=#e0e080:seed=3", "trim=duration=12,scale=1920:1080:flags=neighbor,setsar=1,fps=25,format=yuv420p", 12),
        ], FadeSeconds: 1.5),
        new("pan-then-still", "30 s: a 20 s pan across a picture three screens wide, then a cut to a still chart",
        [
            new("pan across a wide spectrum", "colorspectrum=s=5760x1080:rate=25:d=20:type=all", "drawgrid=w=240:h=180:t=6:c=black@0.8,crop=1920:1080:x='t*(5760-1920)/20':y=0," + Hd, 20),
            new("still chart", "colorchart=rate=25:duration=10:patch_size=64x64", Hd, 10),
        ]),
        new("zoom-then-fractal", "30 s: a 20 s zoom into a chart, then a cut to a moving fractal",
        [
            new("zoom into a chart", "colorchart=rate=25:duration=20:patch_size=64x64:preset=skintones", "scale=1920:1080,zoompan=z='min(1+0.004*in,3)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1920x1080:fps=25,setsar=1,format=yuv420p", 20),
            new("sierpinski triangle moving", "sierpinski=s=1920x1080:rate=25:type=triangle:seed=5", "trim=duration=10," + Hd, 10),
        ]),
        new("factory-camera", "60 s of one static hall with sensor noise, a part travelling across it and a blinking lamp",
        [
            new("hall", "colorchart=rate=25:duration=60:patch_size=64x64",
                "scale=1920:1080,noise=alls=5:allf=t,drawbox=x='mod(t*300,1700)':y=760:w=120:h=120:color=orange:t=fill,drawbox=x=1760:y=80:w=60:h=60:color=red:t=fill:enable='lt(mod(t,2),1)',setsar=1,fps=25,format=yuv420p", 60),
        ]),
        new("stills-a-b-a", "40 s: four still scenes with hard cuts, the third a return to the first",
        [
            new("chart", "colorchart=rate=25:duration=10:patch_size=64x64", Hd, 10),
            new("spectrum", "colorspectrum=s=1920x1080:rate=25:d=10:type=black", Hd, 10),
            new("chart again", "colorchart=rate=25:duration=10:patch_size=64x64", Hd, 10, SameAs: 0),
            new("still gradients", "gradients=s=1920x1080:rate=25:d=10:speed=0.00001:n=5:seed=11", Hd, 10),
        ]),
    ];

    /// <summary>The clip's file, generated on first use (ffmpeg, libx264) into <paramref name="directory"/>.</summary>
    public static async Task<string> EnsureAsync(KeyframeClip clip, string ffmpeg, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, clip.Name + ".mp4");
        if (File.Exists(path))
        {
            return path;
        }

        Console.WriteLine($"generating {path} (once)...");
        var arguments = new List<string> { "-hide_banner", "-v", "error", "-y" };
        var graph = new StringBuilder();
        for (var i = 0; i < clip.Segments.Count; i++)
        {
            var segment = clip.Segments[i];
            arguments.AddRange(["-f", "lavfi", "-i", segment.Source]);
            graph.Append(CultureInfo.InvariantCulture, $"[{i}:v]{segment.Filters},trim=duration={segment.Seconds},setpts=PTS-STARTPTS[s{i}];");
        }

        if (clip.FadeSeconds > 0)
        {
            string[] transitions = ["fade", "wipeleft", "dissolve", "slideup"];
            var previous = "s0";
            var offset = 0.0;
            for (var i = 1; i < clip.Segments.Count; i++)
            {
                offset += clip.Segments[i - 1].Seconds - clip.FadeSeconds;
                var label = i == clip.Segments.Count - 1 ? "v" : $"x{i}";
                graph.Append(CultureInfo.InvariantCulture, $"[{previous}][s{i}]xfade=transition={transitions[(i - 1) % transitions.Length]}:duration={clip.FadeSeconds}:offset={offset}[{label}];");
                previous = label;
            }
        }
        else
        {
            for (var i = 0; i < clip.Segments.Count; i++)
            {
                graph.Append(CultureInfo.InvariantCulture, $"[s{i}]");
            }

            graph.Append(CultureInfo.InvariantCulture, $"concat=n={clip.Segments.Count}:v=1:a=0[v];");
        }

        var partial = path + ".partial.mp4";
        arguments.AddRange(["-filter_complex", graph.ToString().TrimEnd(';'), "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "24", "-g", "50", "-pix_fmt", "yuv420p", partial]);
        var info = new ProcessStartInfo(ffmpeg) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Generating {clip.Name} failed: {stderr}");
        }

        File.Move(partial, path);
        return path;
    }
}
