using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Net;
using Headroom.Gateway.Media;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.Tests.LiveZone;

/// <summary>
/// Oversize base64 images in the newest turn are downscaled once and replayed byte-identical; the original is
/// kept for retrieval; the image controls stop rewriting.
/// </summary>
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
        await using var gateway = await TestGateway.StartAsync(upstream, Settings());

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

    [Fact]
    public async Task LossyImageRewrite_KeepsTheOriginalRetrievable()
    {
        var png = LargePng();
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var gateway = await TestGateway.StartAsync(upstream, Settings());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Request(Convert.ToBase64String(png), false), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-images");
        using var response = await gateway.Client.SendAsync(request);
        Assert.True(upstream.Requests.Single().Body.Length < png.Length, "the image was rewritten");

        using var retrieve = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + OriginalHash.Compute(png));
        retrieve.Headers.Add("x-api-key", "sk-ant-images");
        using var original = await gateway.Client.SendAsync(retrieve);
        using var otherTenant = new HttpRequestMessage(HttpMethod.Get, "/v1/retrieve/" + OriginalHash.Compute(png));
        otherTenant.Headers.Add("x-api-key", "sk-ant-someone-else");
        using var foreign = await gateway.Client.SendAsync(otherTenant);

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(png, await original.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Theory]
    [InlineData("x-headroom-mode: off", null, null)]
    [InlineData(null, "Headroom:Compression:Enabled", "false")]
    [InlineData(null, "Headroom:Media:DownscaleImages", "false")]
    public async Task ImageControls_StopImageRewriting_ForwardedByteIdentical(string? header, string? setting, string? value)
    {
        var body = Request(Convert.ToBase64String(LargePng()), false);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        var settings = Settings();
        if (setting is not null)
        {
            settings[setting] = value;
        }

        await using var gateway = await TestGateway.StartAsync(upstream, settings);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (header is not null)
        {
            request.Headers.Add(header.Split(": ")[0], header.Split(": ")[1]);
        }

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(body, Encoding.UTF8.GetString(upstream.Requests.Single().Body));
    }

    [Fact]
    public async Task MediaSlotsTaken_ImageGoesAsSent_AndIsDecidedOnTheNextRequest()
    {
        var body = Request(Convert.ToBase64String(LargePng()), false);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        var settings = Settings();
        settings["Headroom:Media:MaxConcurrent"] = "1";
        await using var gateway = await TestGateway.StartAsync(upstream, settings);
        var limiter = gateway.App.Services.GetRequiredService<MediaWorkLimiter>();

        using (var held = await limiter.TryEnterAsync(TimeSpan.Zero, CancellationToken.None))
        {
            Assert.NotNull(held);
            using var busy = await gateway.Client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        }

        using var free = await gateway.Client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        var sent = upstream.Requests.ToArray();
        Assert.Equal(body, Encoding.UTF8.GetString(sent[0].Body));
        Assert.True(sent[1].Body.Length < body.Length / 2, "rewritten once a slot was free");
    }

    /// <summary>Tests share two cores: the live image budget is set out of reach of load (it has its own tests).</summary>
    private static Dictionary<string, string?> Settings() => new() { ["Headroom:Media:LiveImageTimeBudgetMs"] = "20000" };
}
