using System.Text.Json;
using Headroom.Media.Content;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Content;

public sealed class ProviderContentTests
{
    private static readonly Keyframe[] Frames =
    [
        new(0, 0, KeyframeReason.First, 4, 2, 1, "image/jpeg", new byte[] { 1, 2, 3 }),
        new(1, 65.25, KeyframeReason.SceneCut, 4, 2, 1, "image/jpeg", new byte[] { 4, 5, 6 }),
    ];

    [Fact]
    public void Anthropic_TextThenBase64ImageBlocks()
    {
        var content = Write(w => ProviderContent.WriteVideoContent(w, Frames, ContentApi.AnthropicMessages, 120));

        Assert.Equal(4, content.GetArrayLength());
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("Frame 1 of 2 at 00:00:00.000 of 00:02:00.000 (first frame)", content[0].GetProperty("text").GetString());
        Assert.Equal("image", content[1].GetProperty("type").GetString());
        var source = content[1].GetProperty("source");
        Assert.Equal("base64", source.GetProperty("type").GetString());
        Assert.Equal("image/jpeg", source.GetProperty("media_type").GetString());
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), source.GetProperty("data").GetString());
        Assert.Equal("Frame 2 of 2 at 00:01:05.250 of 00:02:00.000 (scene cut)", content[2].GetProperty("text").GetString());
    }

    [Fact]
    public void OpenAIChat_ImageUrlDataUrls()
    {
        var content = Write(w => ProviderContent.WriteVideoContent(w, Frames, ContentApi.OpenAIChat, 120));

        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("image_url", content[1].GetProperty("type").GetString());
        Assert.Equal("data:image/jpeg;base64," + Convert.ToBase64String([1, 2, 3]), content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("high", content[1].GetProperty("image_url").GetProperty("detail").GetString());
    }

    [Fact]
    public void OpenAIResponses_InputTextAndInputImage()
    {
        var content = Write(w => ProviderContent.WriteImageContent(w, new byte[] { 9 }, "image/png", ContentApi.OpenAIResponses));

        var image = Assert.Single(content.EnumerateArray());
        Assert.Equal("input_image", image.GetProperty("type").GetString());
        Assert.Equal("data:image/png;base64,CQ==", image.GetProperty("image_url").GetString());
    }

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }
}
