using System.Globalization;
using System.Text.Json;

namespace Headroom.Media.Ffmpeg;

/// <summary>Reads duration, size, frame rate and codec of a video file with ffprobe.</summary>
public static class VideoProbe
{
    public static async Task<VideoInfo> ProbeAsync(FfmpegTools tools, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Video file '{path}' does not exist.", path);
        }

        var analysis = await FfmpegRunner.ProbeAsync(FfmpegInputs.PathOf(path), tools, tools.Timeout, cancellationToken).ConfigureAwait(false);

        // FFMpegCore's typed model drops nb_frames and the display-matrix side data: read its raw JSON.
        return Parse(System.Text.Encoding.UTF8.GetBytes(analysis.Json), Path.GetFileName(path));
    }

    internal static VideoInfo Parse(ReadOnlySpan<byte> json, string name)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
        {
            throw new MediaException(MediaErrorKind.NoVideoStream, $"'{name}' has no video stream.");
        }

        var stream = default(JsonElement);
        foreach (var candidate in streams.EnumerateArray())
        {
            if (candidate.TryGetProperty("codec_type", out var type) && type.ValueEquals("video"u8))
            {
                stream = candidate;
                break;
            }
        }

        if (stream.ValueKind != JsonValueKind.Object)
        {
            throw new MediaException(MediaErrorKind.NoVideoStream, $"'{name}' has no video stream.");
        }

        var width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0)
        {
            throw new MediaException(MediaErrorKind.InvalidMedia, $"'{name}' has a video stream without a frame size.");
        }

        var codec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "unknown" : "unknown";
        var fps = ParseRate(stream, "avg_frame_rate") ?? ParseRate(stream, "r_frame_rate") ?? 0;
        var duration = ParseDouble(stream, "duration")
            ?? (root.TryGetProperty("format", out var format) ? ParseDouble(format, "duration") : null)
            ?? 0;
        long? frames = stream.TryGetProperty("nb_frames", out var nb) && long.TryParse(nb.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        var rotation = ReadRotation(stream);
        if (Math.Abs(rotation) % 180 == 90)
        {
            (width, height) = (height, width);
        }

        return new VideoInfo(duration, width, height, fps, codec, frames, rotation);
    }

    private static int ReadRotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var rotation) && rotation.TryGetDouble(out var degrees))
                {
                    return (int)Math.Round(degrees);
                }
            }
        }

        if (stream.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var rotate)
            && int.TryParse(rotate.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r))
        {
            return r;
        }

        return 0;
    }

    private static double? ParseDouble(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.GetString() is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d))
        {
            return d;
        }

        // FFMpegCore asks ffprobe for sexagesimal times (h:mm:ss.micro).
        if (text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var time) && time > TimeSpan.Zero)
        {
            return time.TotalSeconds;
        }

        return null;
    }

    private static double? ParseRate(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.GetString() is not { } text)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0 ? plain : null;
        }

        if (double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            && num > 0 && den > 0)
        {
            return num / den;
        }

        return null;
    }
}
