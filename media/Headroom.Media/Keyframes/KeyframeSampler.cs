using System.Diagnostics;
using System.Globalization;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;

namespace Headroom.Media.Keyframes;

/// <summary>
/// Picks the distinct moments of a video and returns them as token-optimal JPEGs:
/// 1. probe the video (ffprobe);
/// 2. one decoding pass streams 32×32 rgb24 thumbnails at the analysis rate through a pipe into
///    <see cref="SceneAnalyzer"/> (no temp files);
/// 3. each kept moment is extracted by an accurate seek, scaled to the provider's token-optimal size and
///    encoded as JPEG through another pipe.
/// </summary>
public sealed class KeyframeSampler
{
    private readonly FfmpegTools _tools;

    public KeyframeSampler(FfmpegTools tools)
    {
        _tools = tools ?? throw new ArgumentNullException(nameof(tools));
    }

    public async Task<KeyframeResult> SampleAsync(
        string path,
        KeyframeOptions? options = null,
        IProgress<SamplingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= KeyframeOptions.Default;
        var stopwatch = Stopwatch.StartNew();

        // 1. Probe.
        var video = await VideoProbe.ProbeAsync(_tools, path, cancellationToken).ConfigureAwait(false);
        progress?.Report(new SamplingProgress("analysing", 0));

        // 2. Analyse thumbnails streamed from one decoding pass.
        var fps = video.FramesPerSecond > 0 ? Math.Min(options.AnalysisFps, video.FramesPerSecond) : options.AnalysisFps;
        fps = Math.Max(0.1, fps);
        var analyzer = new SceneAnalyzer(options, fps);
        await AnalyseAsync(path, video, fps, analyzer, progress, cancellationToken).ConfigureAwait(false);
        if (analyzer.FramesAnalyzed == 0)
        {
            throw new MediaException(MediaErrorKind.InvalidMedia, $"'{Path.GetFileName(path)}' contains no decodable video frames.");
        }

        // 3. Extract and encode the kept frames.
        var selected = analyzer.Complete();
        var rules = ImageTokenRules.For(options.Provider);
        var target = rules.TargetSize(new ImageDimensions(video.Width, video.Height), options.MaxLongEdge);
        var frames = new List<Keyframe>(selected.Count);
        for (var i = 0; i < selected.Count; i++)
        {
            var frame = selected[i];
            var jpeg = await ExtractAsync(path, frame.TimestampSeconds, target, options.JpegQuality, cancellationToken).ConfigureAwait(false);
            frames.Add(new Keyframe(i, frame.TimestampSeconds, frame.Reason, target.Width, target.Height, rules.Tokens(target), "image/jpeg", jpeg));
            progress?.Report(new SamplingProgress("extracting", (i + 1) / (double)selected.Count));
        }

        return new KeyframeResult(video, frames, analyzer.Cuts.ToArray(), analyzer.FramesAnalyzed, stopwatch.Elapsed);
    }

    private async Task AnalyseAsync(
        string path,
        VideoInfo video,
        double fps,
        SceneAnalyzer analyzer,
        IProgress<SamplingProgress>? progress,
        CancellationToken cancellationToken)
    {
        var side = Thumbnail.Side.ToString(CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-v", "error",
            "-i", path,
            "-an", "-sn", "-dn",
            "-vf", $"fps={fps.ToString("0.######", CultureInfo.InvariantCulture)},scale={side}:{side}:flags=area,format=rgb24",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ];

        var frameBytes = new byte[Thumbnail.ByteLength];
        var result = await FfmpegProcess.RunAsync(
            _tools.FfmpegPath,
            arguments,
            null,
            async (stdout, token) =>
            {
                var n = 0;
                while (true)
                {
                    var read = await stdout.ReadAtLeastAsync(frameBytes, frameBytes.Length, throwOnEndOfStream: false, token).ConfigureAwait(false);
                    if (read < frameBytes.Length)
                    {
                        break;
                    }

                    var timestamp = n / fps;
                    analyzer.Push(timestamp, frameBytes);
                    n++;
                    if (video.DurationSeconds > 0 && (n % 10) == 0)
                    {
                        progress?.Report(new SamplingProgress("analysing", Math.Min(1, timestamp / video.DurationSeconds)));
                    }
                }
            },
            _tools.Timeout,
            cancellationToken).ConfigureAwait(false);

        var name = Path.GetFileName(path);
        if (result.ExitCode != 0)
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"'{name}' could not be decoded (corrupt or truncated video): {FfmpegProcess.Summarize(result.StandardError)}");
        }

        // A truncated file can decode "successfully" but stop short, complaining on stderr.
        var covered = analyzer.FramesAnalyzed / fps;
        var partial = result.StandardError.Contains("partial file", StringComparison.OrdinalIgnoreCase);
        if (partial || (video.DurationSeconds > 2 && covered < video.DurationSeconds * 0.9 && !string.IsNullOrWhiteSpace(result.StandardError)))
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"'{name}' is truncated or damaged: decoded {covered:0.#} s of {video.DurationSeconds:0.#} s ({FfmpegProcess.Summarize(result.StandardError)}).");
        }

        progress?.Report(new SamplingProgress("analysing", 1));
    }

    private async Task<byte[]> ExtractAsync(string path, double timestamp, ImageDimensions size, int quality, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-v", "error",
            "-ss", timestamp.ToString("0.######", CultureInfo.InvariantCulture),
            "-i", path,
            "-an", "-sn", "-dn",
            "-frames:v", "1",
            "-vf", FfmpegFilters.ScaleTo(size) + ",format=yuvj420p",
            "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-c:v", "mjpeg", "-q:v", Math.Clamp(quality, 2, 31).ToString(CultureInfo.InvariantCulture),
            "-f", "image2pipe", "pipe:1",
        ];
        var result = await FfmpegProcess.RunAsync(_tools.FfmpegPath, arguments, null, null, _tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardOutput.Length == 0)
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"Could not extract the frame at {timestamp:0.###} s from '{Path.GetFileName(path)}': {FfmpegProcess.Summarize(result.StandardError)}");
        }

        return result.StandardOutput;
    }
}
