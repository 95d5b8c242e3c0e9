using System.Globalization;
using System.Text.Json;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Content;

/// <summary>
/// Writes ready-to-send content arrays: for each kept frame a text line naming its timestamp, then the
/// image as base64, in the exact block shapes of the target API.
/// </summary>
public static class ProviderContent
{
    public static void WriteVideoContent(Utf8JsonWriter writer, IReadOnlyList<Keyframe> frames, ContentApi api, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(frames);
        writer.WriteStartArray();
        foreach (var frame in frames)
        {
            WriteText(writer, FrameCaption(frame, frames.Count, durationSeconds), api);
            WriteImage(writer, frame.Bytes.Span, frame.MediaType, api);
        }

        writer.WriteEndArray();
    }

    public static void WriteImageContent(Utf8JsonWriter writer, ReadOnlySpan<byte> image, string mediaType, ContentApi api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        WriteImage(writer, image, mediaType, api);
        writer.WriteEndArray();
    }

    /// <summary>"Frame 2 of 5 at 00:00:05.000 of 00:01:00.000 (scene cut)".</summary>
    public static string FrameCaption(Keyframe frame, int count, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var why = frame.Reason switch
        {
            KeyframeReason.First => "first frame",
            KeyframeReason.SceneCut => "scene cut",
            _ => "content change",
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Frame {frame.Index + 1} of {count} at {FormatTimestamp(frame.TimestampSeconds)} of {FormatTimestamp(durationSeconds)} ({why})");
    }

    public static string FormatTimestamp(double seconds)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(0, seconds) * 1000));
        return time.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
    }

    private static void WriteText(Utf8JsonWriter writer, string text, ContentApi api)
    {
        writer.WriteStartObject();
        writer.WriteString("type", api == ContentApi.OpenAIResponses ? "input_text" : "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ReadOnlySpan<byte> image, string mediaType, ContentApi api)
    {
        writer.WriteStartObject();
        switch (api)
        {
            case ContentApi.AnthropicMessages:
                writer.WriteString("type", "image");
                writer.WriteStartObject("source");
                writer.WriteString("type", "base64");
                writer.WriteString("media_type", mediaType);
                writer.WriteBase64String("data", image);
                writer.WriteEndObject();
                break;
            case ContentApi.OpenAIChat:
                writer.WriteString("type", "image_url");
                writer.WriteStartObject("image_url");
                writer.WriteString("url", DataUrl(image, mediaType));
                writer.WriteString("detail", "high");
                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("type", "input_image");
                writer.WriteString("image_url", DataUrl(image, mediaType));
                writer.WriteString("detail", "high");
                break;
        }

        writer.WriteEndObject();
    }

    private static string DataUrl(ReadOnlySpan<byte> image, string mediaType) => $"data:{mediaType};base64,{Convert.ToBase64String(image)}";
}
