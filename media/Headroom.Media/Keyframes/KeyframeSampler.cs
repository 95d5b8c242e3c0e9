using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Pipes;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;

namespace Headroom.Media.Keyframes;

/// <summary>
/// Picks the distinct moments of a video and returns them as token-optimal JPEGs:
/// 1. probe the video (ffprobe through FFMpegCore);
/// 2. one decoding pass streams 32×32 rgb24 thumbnails at the analysis rate through a pipe into
///    <see cref="SceneAnalyzer"/> (no temp files); ffmpeg's progress drives <see cref="SamplingProgress"/>;
/// 3. each kept moment is extracted by an accurate seek, scaled to the provider's video-frame size and
///    encoded as JPEG through another pipe.
/// Every ffmpeg run is bounded by <see cref="FfmpegTools.Timeout"/> and stopped when the caller cancels.
/// </summary>
public sealed class KeyframeSampler
{
    /// <summary>At most this many thumbnails are analysed: long videos are analysed at a lower rate.</summary>
    private const int MaxAnalysedFrames = 6000;

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
        if (video.DurationSeconds > 0)
        {
            fps = Math.Min(fps, MaxAnalysedFrames / video.DurationSeconds);
        }

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
        var target = rules.VideoFrameSize(new ImageDimensions(video.Width, video.Height), options.MaxLongEdge);
        var frames = new List<Keyframe>(selected.Count);
        for (var i = 0; i < selected.Count; i++)
        {
            var frame = selected[i];
            var jpeg = await ExtractAsync(path, frame.TimestampSeconds, target, options.JpegQuality, cancellationToken).ConfigureAwait(false);
            frames.Add(new Keyframe(i, frame.TimestampSeconds, frame.Reason, target.Width, target.Height, rules.Tokens(target), "image/jpeg", jpeg));
            progress?.Report(new SamplingProgress("extracting", (i + 1) / (double)selected.Count));
        }

        return new KeyframeResult(video, frames, analyzer.Cuts.ToArray(), analyzer.FramesAnalyzed, stopwatch.Elapsed)
        {
            SceneStartsSeconds = analyzer.SceneStarts.ToArray(),
        };
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
        var rate = fps.ToString("0.######", CultureInfo.InvariantCulture);
        var frameBytes = new byte[Thumbnail.ByteLength];
        var sink = new StreamPipeSink(async (stdout, token) =>
        {
            var n = 0;
            while (true)
            {
                var read = await stdout.ReadAtLeastAsync(frameBytes, frameBytes.Length, throwOnEndOfStream: false, token).ConfigureAwait(false);
                if (read < frameBytes.Length)
                {
                    break;
                }

                analyzer.Push(n / fps, frameBytes);
                n++;
            }
        })
        { Format = "rawvideo" };

        var processor = FFMpegArguments
            .FromFileInput(FfmpegInputs.PathOf(path), verifyExists: false, input => input.WithCustomArgument("-nostdin " + FfmpegInputs.InputArguments))
            .OutputToPipe(sink, output => output.WithCustomArgument(
                $"-an -sn -dn -vf fps={rate},scale={side}:{side}:flags=area,format=rgb24 -pix_fmt rgb24 -nostats -progress pipe:2"))
            .WithLogLevel(FFMpegLogLevel.Error);
        if (progress is not null && video.DurationSeconds > 0)
        {
            // FFMpegCore parses ffmpeg's "time=" progress lines; -progress writes them whatever the log level.
            processor = processor.NotifyOnProgress(time => progress.Report(new SamplingProgress("analysing", Math.Clamp(time.TotalSeconds / video.DurationSeconds, 0, 1))));
        }

        var result = await FfmpegRunner.RunAsync(processor, _tools, _tools.Timeout, cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileName(path);
        var errors = result.StandardError.Where(IsDiagnostic).ToList();
        if (result.ExitCode != 0)
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"'{name}' could not be decoded (corrupt or truncated video): {FfmpegRunner.Summarize(errors)}");
        }

        // A truncated file can decode "successfully" but stop short, complaining on stderr.
        var covered = analyzer.FramesAnalyzed / fps;
        var partial = errors.Exists(l => l.Contains("partial file", StringComparison.OrdinalIgnoreCase));
        if (partial || (video.DurationSeconds > 2 && covered < video.DurationSeconds * 0.9 && errors.Count > 0))
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"'{name}' is truncated or damaged: decoded {covered:0.#} s of {video.DurationSeconds:0.#} s ({FfmpegRunner.Summarize(errors)}).");
        }

        progress?.Report(new SamplingProgress("analysing", 1));
    }

    private async Task<byte[]> ExtractAsync(string path, double timestamp, ImageDimensions size, int quality, CancellationToken cancellationToken)
    {
        var (frame, diagnostics) = await ExtractOnceAsync(path, timestamp, size, quality, cancellationToken).ConfigureAwait(false);
        if (frame is null && diagnostics.Count == 0)
        {
            // No frame and nothing said why: under load the pipe can close before its last bytes are read
            // (seen in CI); extracting one frame is deterministic, so once more.
            (frame, diagnostics) = await ExtractOnceAsync(path, timestamp, size, quality, cancellationToken).ConfigureAwait(false);
        }

        return frame ?? throw new MediaException(
            MediaErrorKind.InvalidMedia,
            $"Could not extract the frame at {timestamp:0.###} s from '{Path.GetFileName(path)}': {FfmpegRunner.Summarize(diagnostics)}");
    }

    private async Task<(byte[]? Frame, List<string> Diagnostics)> ExtractOnceAsync(string path, double timestamp, ImageDimensions size, int quality, CancellationToken cancellationToken)
    {
        using var jpeg = new MemoryStream();
        var seek = timestamp.ToString("0.######", CultureInfo.InvariantCulture);
        var q = Math.Clamp(quality, 2, 31).ToString(CultureInfo.InvariantCulture);
        var processor = FFMpegArguments
            .FromFileInput(FfmpegInputs.PathOf(path), verifyExists: false, input => input.WithCustomArgument($"-nostdin -ss {seek} {FfmpegInputs.InputArguments}"))
            .OutputToPipe(new StreamPipeSink(jpeg) { Format = "image2pipe" }, output => output.WithCustomArgument(
                $"-an -sn -dn -frames:v 1 -vf {FfmpegFilters.ScaleTo(size)},format=yuvj420p -fflags +bitexact -flags:v +bitexact -c:v mjpeg -q:v {q}"))
            .WithLogLevel(FFMpegLogLevel.Error);
        var result = await FfmpegRunner.RunAsync(processor, _tools, _tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || jpeg.Length == 0)
        {
            return (null, result.StandardError.Where(IsDiagnostic).Where(l => l.Trim().Length > 0).ToList());
        }

        return (jpeg.ToArray(), []);
    }

    /// <summary>ffmpeg's own messages, without the -progress key=value lines.</summary>
    private static bool IsDiagnostic(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        return line.Length > 0 && (equals <= 0 || line.AsSpan(0, equals).ContainsAny(" :[".AsSpan()));
    }
}
