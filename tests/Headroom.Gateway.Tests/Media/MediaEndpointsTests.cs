using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Headroom.Gateway.Tests.Media;

/// <summary>POST /media/video and /media/image on real Kestrel (loopback), with ffmpeg-generated inputs.</summary>
public sealed class MediaEndpointsTests : IClassFixture<MediaEndpointsTests.Inputs>
{
    private readonly Inputs _inputs;

    public MediaEndpointsTests(Inputs inputs)
    {
        _inputs = inputs;
    }

    [Fact]
    public async Task Video_RawBody_AnthropicContentAndCost()
    {
        await using var server = await Server.StartAsync();
        using var body = new ByteArrayContent(_inputs.Video);
        body.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");

        using var response = await server.Client.PostAsync("/media/video", body);
        var json = await ReadJsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        Assert.Equal("anthropic", json.GetProperty("provider").GetString());
        Assert.Equal("claude-sonnet-4-5", json.GetProperty("model").GetString());
        var frames = json.GetProperty("frames");
        Assert.Equal(3, frames.GetArrayLength());
        var content = json.GetProperty("content");
        Assert.Equal(6, content.GetArrayLength());
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.StartsWith("Frame 1 of 3 at 00:00:0", content[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("image", content[1].GetProperty("type").GetString());
        var jpeg = Convert.FromBase64String(content[1].GetProperty("source").GetProperty("data").GetString()!);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal(6, json.GetProperty("imagesBefore").GetInt32());
        Assert.True(json.GetProperty("tokensBefore").GetInt64() > json.GetProperty("tokensAfter").GetInt64());
        Assert.True(json.GetProperty("usdBefore").GetDecimal() > json.GetProperty("usdAfter").GetDecimal());
    }

    [Fact]
    public async Task Video_Multipart_OpenAIResponsesShape_UnknownModelTokensOnly()
    {
        await using var server = await Server.StartAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(_inputs.Video);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "clip.mp4");

        using var response = await server.Client.PostAsync("/media/video?provider=openai&api=responses&model=some-future-model&maxFrames=2", form);
        var json = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, json.GetProperty("frames").GetArrayLength());
        var content = json.GetProperty("content");
        Assert.Equal("input_text", content[0].GetProperty("type").GetString());
        Assert.Equal("input_image", content[1].GetProperty("type").GetString());
        Assert.StartsWith("data:image/jpeg;base64,", content[1].GetProperty("image_url").GetString(), StringComparison.Ordinal);
        Assert.False(json.GetProperty("priced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("usdBefore").ValueKind);
    }

    [Fact]
    public async Task Video_OverLimit_413WithClearError_KnownLengthAndChunked()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:Media:MaxUploadBytes"] = "1000" });

        using var known = new ByteArrayContent(_inputs.Video);
        using var first = await server.Client.PostAsync("/media/video", known);
        var error = (await ReadJsonAsync(first)).GetProperty("error");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, first.StatusCode);
        Assert.Equal("request_too_large", error.GetProperty("type").GetString());
        Assert.Contains("1,000 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Headroom:Media:MaxUploadBytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var chunked = new StreamContent(new MemoryStream(_inputs.Video));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media/video") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var second = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.Equal("request_too_large", (await ReadJsonAsync(second)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upload_ChunkedFarOverTheLimit_ClientGetsThe413NotABrokenPipe()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:Media:MaxUploadBytes"] = "1000" });

        // 4 MB sent chunked against a 1,000-byte limit: the gateway refuses after 1,000 bytes while the client is
        // still sending; the rest is read and discarded so the client reads the error.
        using var chunked = new StreamContent(new MemoryStream(new byte[4 << 20]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media/video") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Video_Corrupt_422()
    {
        await using var server = await Server.StartAsync();
        using var body = new ByteArrayContent(new byte[50_000]);

        using var response = await server.Client.PostAsync("/media/video", body);
        var json = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Contains("not a readable video", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Video_FfmpegMissing_503NamingThePackage()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:Media:FfmpegPath"] = "/nonexistent/ffmpeg" });
        using var body = new ByteArrayContent(_inputs.Video);

        using var response = await server.Client.PostAsync("/media/video", body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("apt-get install ffmpeg", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_Large_Downscaled_Small_Untouched()
    {
        await using var server = await Server.StartAsync();

        using var large = await server.Client.PostAsync("/media/image", new ByteArrayContent(_inputs.LargeJpeg));
        var json = await ReadJsonAsync(large);
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.True(json.GetProperty("changed").GetBoolean());
        Assert.Equal(3000, json.GetProperty("originalWidth").GetInt32());
        Assert.True(json.GetProperty("width").GetInt32() <= 1568);
        var image = Assert.Single(json.GetProperty("content").EnumerateArray());
        Assert.Equal("image/jpeg", image.GetProperty("source").GetProperty("media_type").GetString());

        using var small = await server.Client.PostAsync("/media/image?provider=openai", new ByteArrayContent(_inputs.SmallPng));
        var smallJson = await ReadJsonAsync(small);
        Assert.False(smallJson.GetProperty("changed").GetBoolean());
        Assert.Equal(
            "data:image/png;base64," + Convert.ToBase64String(_inputs.SmallPng),
            smallJson.GetProperty("content")[0].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task BadParameters_400()
    {
        await using var server = await Server.StartAsync();

        using var provider = await server.Client.PostAsync("/media/image?provider=gemini", new ByteArrayContent(_inputs.SmallPng));
        using var api = await server.Client.PostAsync("/media/image?api=soap", new ByteArrayContent(_inputs.SmallPng));
        using var notImage = await server.Client.PostAsync("/media/image", new ByteArrayContent("hello"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, provider.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notImage.StatusCode);
    }

    [Fact]
    public async Task Media_WithAdminToken_RefusesCallersWithoutIt_BeforeReadingTheUpload()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:AdminToken"] = "s3cret" });

        using var anonymous = await server.Client.PostAsync("/media/image", new ByteArrayContent(_inputs.SmallPng));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/media/video") { Content = new ByteArrayContent(_inputs.Video) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        using var wrongResponse = await server.Client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/media/image") { Content = new ByteArrayContent(_inputs.SmallPng) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var rightResponse = await server.Client.SendAsync(right);

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
    }

    [Fact]
    public async Task Image_DeclaringSixteenThousandSquared_422FromTheHeader()
    {
        await using var server = await Server.StartAsync();

        using var response = await server.Client.PostAsync("/media/image", new ByteArrayContent(Inputs.PngBomb()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("16000x16000", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_AllSlotsTaken_429WithRetryAfter()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:Media:MaxConcurrent"] = "1", ["Headroom:Media:QueueSeconds"] = "0" });
        using var held = await server.Limiter.TryEnterAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);

        using var busy = await server.Client.PostAsync("/media/image", new ByteArrayContent(_inputs.SmallPng));
        held.Dispose();
        using var free = await server.Client.PostAsync("/media/image", new ByteArrayContent(_inputs.SmallPng));

        Assert.Equal((HttpStatusCode)429, busy.StatusCode);
        Assert.Equal("rate_limit_error", (await ReadJsonAsync(busy)).GetProperty("error").GetProperty("type").GetString());
        Assert.NotNull(busy.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    [Fact]
    public async Task Video_PastTheRequestTimeBudget_504_AndTheSlotIsFreed()
    {
        await using var server = await Server.StartAsync(new() { ["Headroom:Media:RequestTimeoutSeconds"] = "0.3", ["Headroom:Media:MaxConcurrent"] = "1" });
        var stopwatch = Stopwatch.StartNew();

        using var response = await server.Client.PostAsync("/media/video", new ByteArrayContent(_inputs.LongVideo));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("RequestTimeoutSeconds", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        using var slot = await server.Limiter.TryEnterAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(slot);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.Clone();
    }

    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, HttpClient client)
        {
            _app = app;
            Client = client;
        }

        public HttpClient Client { get; }

        public MediaWorkLimiter Limiter => _app.Services.GetRequiredService<MediaWorkLimiter>();

        public static async Task<Server> StartAsync(Dictionary<string, string?>? settings = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            // Test projects share two cores: the image budget is out of reach of load (the media tests test it).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Headroom:Media:ImageTimeBudgetMs"] = "60000" });
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
            builder.Services.AddSingleton<MediaWorkLimiter>();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapMediaEndpoints();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Server(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) });
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public sealed class Inputs
    {
        public Inputs()
        {
            // Three 2 s scenes with hard cuts, 6 s in all.
            Video = Ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=s=320x180:r=10:d=2", "-f", "lavfi", "-i", "smptebars=s=320x180:r=10:d=2", "-f", "lavfi", "-i", "color=c=red:s=320x180:r=10:d=2",
                "-filter_complex", "[0:v]setsar=1,format=yuv420p[a];[1:v]setsar=1,format=yuv420p[b];[2:v]setsar=1,format=yuv420p[c];[a][b][c]concat=n=3:v=1:a=0[v]",
                "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+frag_keyframe+empty_moov", "-f", "mp4", "pipe:1");
            LargeJpeg = Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=3000x2000", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2pipe", "pipe:1");
            SmallPng = Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=400x300", "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1");
            LongVideo = Ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=120", "-c:v", "libx264", "-preset", "ultrafast",
                "-movflags", "+frag_keyframe+empty_moov", "-f", "mp4", "pipe:1");
        }

        public byte[] LongVideo { get; }

        /// <summary>A PNG header declaring 16000×16000 RGB, followed by a little data: refused before decoding.</summary>
        public static byte[] PngBomb()
        {
            var png = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' };
            png.AddRange([0, 0, 0x3E, 0x80, 0, 0, 0x3E, 0x80, 8, 2, 0, 0, 0, 0, 0, 0, 0]);
            png.AddRange(new byte[100_000]);
            return [.. png];
        }

        public byte[] Video { get; }

        public byte[] LargeJpeg { get; }

        public byte[] SmallPng { get; }

        private static byte[] Ffmpeg(params string[] args)
        {
            var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-hide_banner", "-v", "error" }.Concat(args))
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("ffmpeg failed: " + stderr.Result);
            }

            return output.ToArray();
        }
    }
}
