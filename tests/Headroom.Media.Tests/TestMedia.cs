using System.Diagnostics;
using System.Globalization;
using Headroom.Media.Ffmpeg;

namespace Headroom.Media.Tests;

/// <summary>Generates test videos and images with ffmpeg's lavfi sources into a per-fixture temp directory.</summary>
public sealed class TestMedia : IDisposable
{
    public TestMedia()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("headroom-media-tests-").FullName;
        Tools = FfmpegTools.Locate();
    }

    public string Directory { get; }

    public FfmpegTools Tools { get; }

    /// <summary>Concatenates lavfi segments (each a source expression with its own duration) with hard cuts.</summary>
    public string Video(string name, int width, int height, int fps, IReadOnlyList<(string Source, double Seconds)> segments, params string[] extraOutputArgs)
    {
        var path = Path.Combine(Directory, name);
        var args = new List<string> { "-hide_banner", "-v", "error", "-y" };
        var filter = new System.Text.StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            var (source, seconds) = segments[i];
            var (generator, post) = Split(source);
            args.AddRange(["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"{generator}{Sep(generator)}s={width}x{height}:r={fps}:d={seconds}")]);
            filter.Append(CultureInfo.InvariantCulture, $"[{i}:v]{(post.Length > 0 ? post + "," : string.Empty)}setsar=1,format=yuv420p[s{i}];");
        }

        for (var i = 0; i < segments.Count; i++)
        {
            filter.Append(CultureInfo.InvariantCulture, $"[s{i}]");
        }

        filter.Append(CultureInfo.InvariantCulture, $"concat=n={segments.Count}:v=1:a=0[v]");
        args.AddRange(["-filter_complex", filter.ToString(), "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-g", (fps * 2).ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(extraOutputArgs);
        args.Add(path);
        Run(args);
        return path;
    }

    /// <summary>One still image from a lavfi source, encoded with the given codec (png, mjpeg, webp…).</summary>
    public byte[] Image(string source, int width, int height, string codec, params string[] extra)
    {
        var (generator, post) = Split(source);
        var args = new List<string>
        {
            "-hide_banner", "-v", "error", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"{generator}{Sep(generator)}s={width}x{height}"),
            "-frames:v", "1",
        };
        if (post.Length > 0)
        {
            args.AddRange(["-vf", post]);
        }

        args.AddRange(["-c:v", codec]);
        args.AddRange(extra);
        args.AddRange(["-f", "image2pipe", "pipe:1"]);
        return Run(args);
    }

    /// <summary>Decodes an image to raw rgb24 at its own size.</summary>
    public byte[] DecodeRgb(byte[] image) =>
        Run(["-hide_banner", "-v", "error", "-i", "pipe:0", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], image);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static char Sep(string generator) => generator.Contains('=', StringComparison.Ordinal) ? ':' : '=';

    private static (string Generator, string Post) Split(string source)
    {
        var comma = source.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? (source, string.Empty) : (source[..comma], source[(comma + 1)..]);
    }

    private byte[] Run(IReadOnlyList<string> args, byte[]? stdin = null)
    {
        var info = new ProcessStartInfo(Tools.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdinTask = Task.Run(() =>
        {
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        var errTask = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        stdinTask.Wait();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {errTask.Result}");
        }

        return output.ToArray();
    }
}
