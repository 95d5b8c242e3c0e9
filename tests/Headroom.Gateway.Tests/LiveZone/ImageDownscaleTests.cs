using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>Oversize base64 images in the newest turn are downscaled once and replayed byte-identical.</summary>
public sealed class ImageDownscaleTests
{
    private static byte[] LargePng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"headroom-img-{Guid.NewGuid():N}.png");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=3000x2000:rate=1", "-frames:v", "1", "-y", path })
        {
            start.ArgumentList.Add(arg);
        }

        using (var ffmpeg = Process.Start(start)!)
        {
            ffmpeg.WaitForExit();
            Assert.Equal(0, ffmpeg.ExitCode);
        }

        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private static string Request(string base64, bool withLaterTurn)
    {
        var messages = new JsonArray
        {
            new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray
                {
                    new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = base64 }, ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } },
                    new JsonObject { ["type"] = "text", ["text"] = "What is on this screen?" },
                },
            },
        };
        if (withLaterTurn)
        {
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "A test pattern." });
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = "Thanks." });
        }

        return new JsonObject { ["model"] = "claude-sonnet-4-5", ["max_tokens"] = 100, ["messages"] = messages }.ToJsonString();
    }

    [Fact]
    public async Task OversizeImage_IsDownscaled_ThenReplayedOnLaterTurns()
    {
        var base64 = Convert.ToBase64String(LargePng());
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var first = await gateway.Client.PostAsync("/v1/messages", new StringContent(Request(base64, false), Encoding.UTF8, "application/json"));
        using var second = await gateway.Client.PostAsync("/v1/messages", new StringContent(Request(base64, true), Encoding.UTF8, "application/json"));

        var sent = upstream.Requests.ToArray();
        var image = JsonNode.Parse(sent[0].Body)!["messages"]![0]!["content"]![0]!;
        var data = image["source"]!["data"]!.GetValue<string>();
        Assert.True(data.Length < base64.Length / 2, $"forwarded {data.Length} of {base64.Length} base64 chars");
        Assert.Equal("ephemeral", image["cache_control"]!["type"]!.GetValue<string>());
        var decoded = Convert.FromBase64String(data);
        Assert.True(decoded.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8 }) || decoded.AsSpan().StartsWith(new byte[] { 0x89, 0x50 }), "a JPEG or PNG");

        // On the later turn the image is history: exactly the bytes forwarded the first time.
        var firstText = Encoding.UTF8.GetString(sent[0].Body);
        var prefix = firstText[..firstText.IndexOf("{\"type\":\"text\"", StringComparison.Ordinal)];
        Assert.StartsWith(prefix, Encoding.UTF8.GetString(sent[1].Body), StringComparison.Ordinal);
    }
}
