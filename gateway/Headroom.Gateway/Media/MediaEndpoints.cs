using System.Globalization;
using System.Text.Json;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Pricing;
using Headroom.Media.Content;
using Headroom.Media.Cost;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Media;

/// <summary>
/// <c>POST /media/video</c> and <c>POST /media/image</c>: upload (multipart part "file" or raw body), get back
/// a ready-to-send content array for the chosen API plus token and dollar figures before and after.
/// Query: <c>provider=anthropic|openai</c>, <c>model</c>, <c>api=messages|chat|responses</c>,
/// <c>maxFrames</c>, <c>framesPerMinute</c>, <c>minInterval</c> (video), <c>maxLongEdge</c>.
/// Like the other admin endpoints they answer loopback callers, or any caller with the admin token when
/// <c>Headroom:AdminToken</c> is set (403 otherwise). At most <c>Headroom:Media:MaxConcurrent</c> media jobs run
/// at once (live-zone images included); a request that finds no slot within <c>QueueSeconds</c> gets 429, and
/// one that runs past <c>RequestTimeoutSeconds</c> is stopped (its ffmpeg killed) with 504.
/// Errors use Anthropic's shape <c>{"type":"error","error":{"type","message"}}</c>: 400 bad parameters,
/// 413 upload over <c>Headroom:Media:MaxUploadBytes</c> / <c>MaxImageUploadBytes</c>, 422 unreadable media or
/// an image over the pixel budget, 429 busy, 503 ffmpeg missing, 504 time budget spent.
/// </summary>
public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/media/video", context => GuardedAsync(context, HandleVideoAsync));
        app.MapPost("/media/image", context => GuardedAsync(context, HandleImageAsync));
        return app;
    }

    /// <summary>
    /// 1. admin rules, before a byte of the upload is read; 2. the query; 3. the handler, which reads the
    /// upload and then starts its <see cref="MediaJob"/> (a slot, the time budget); a spent budget is a 504.
    /// </summary>
    private static async Task GuardedAsync(HttpContext context, Func<HttpContext, MediaQuery, MediaJob, Task> handle)
    {
        // 1. Admin rules.
        var gateway = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (!AdminGate.IsAllowed(context, gateway))
        {
            await AdminGate.Denied(gateway).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // 2. Parameters.
        if (!TryReadQuery(context, out var query, out var problem))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", problem).ConfigureAwait(false);
            return;
        }

        // 3. Upload, slot, budget, work.
        using var job = new MediaJob(context, query.Settings);
        try
        {
            await handle(context, query, job).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (job.BudgetSpent && !context.Response.HasStarted)
        {
            await WriteErrorAsync(
                context,
                StatusCodes.Status504GatewayTimeout,
                "timeout_error",
                $"The media request did not finish within {job.BudgetSeconds:0.#} s and was stopped (Headroom:Media:RequestTimeoutSeconds).").ConfigureAwait(false);
        }
    }

    private static async Task HandleVideoAsync(HttpContext context, MediaQuery query, MediaJob job)
    {
        var maxFrames = ParseInt(context, "maxFrames") ?? KeyframeOptions.Default.MaxFrames;
        var minInterval = ParseDouble(context, "minInterval") ?? KeyframeOptions.Default.MinIntervalSeconds;
        var perMinute = ParseDouble(context, "framesPerMinute") ?? KeyframeOptions.Default.FramesPerMinute;
        if (maxFrames < 1 || minInterval < 0 || perMinute <= 0)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "maxFrames must be at least 1, minInterval not negative and framesPerMinute positive.").ConfigureAwait(false);
            return;
        }

        // 1. Spool the upload to a private temp file (ffmpeg needs a seekable input for MP4); deleted on close.
        var path = Path.Combine(Path.GetTempPath(), $"headroom-media-{Guid.NewGuid():N}.upload");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                await MediaUpload.CopyAsync(context.Request, file, query.Settings.MaxUploadBytes, context.RequestAborted).ConfigureAwait(false);
            }

            if (!await job.StartAsync().ConfigureAwait(false))
            {
                return;
            }

            var cancellationToken = job.Token;

            // 2. Sample.
            var tools = FfmpegTools.Locate(query.Settings.FfmpegOptions);
            var options = KeyframeOptions.Default with
            {
                Provider = query.Provider,
                MaxFrames = maxFrames,
                FramesPerMinute = perMinute,
                MinIntervalSeconds = minInterval,
                MaxLongEdge = query.MaxLongEdge,
            };
            var result = await new KeyframeSampler(tools).SampleAsync(path, options, null, cancellationToken).ConfigureAwait(false);
            var cost = MediaCostEstimator.ForVideo(result.Video, result.Frames, query.Provider, query.Price?.Input);

            // 3. Answer: content array plus figures.
            await WriteJsonAsync(context, StatusCodes.Status200OK, w =>
            {
                WriteHeader(w, query);
                w.WriteStartObject("video");
                w.WriteNumber("durationSeconds", Math.Round(result.Video.DurationSeconds, 3));
                w.WriteNumber("width", result.Video.Width);
                w.WriteNumber("height", result.Video.Height);
                w.WriteNumber("fps", Math.Round(result.Video.FramesPerSecond, 3));
                w.WriteString("codec", result.Video.Codec);
                w.WriteEndObject();
                w.WriteStartArray("frames");
                foreach (var frame in result.Frames)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", frame.Index);
                    w.WriteNumber("timestampSeconds", Math.Round(frame.TimestampSeconds, 3));
                    w.WriteNumber("width", frame.Width);
                    w.WriteNumber("height", frame.Height);
                    w.WriteNumber("tokens", frame.Tokens);
                    w.WriteString("reason", frame.ReasonName);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WritePropertyName("content");
                ProviderContent.WriteVideoContent(w, result.Frames, query.Api, result.Video.DurationSeconds);
                w.WriteNumber("sceneCuts", result.SceneCutsSeconds.Count);
                w.WriteNumber("scenes", result.SceneStartsSeconds.Count);
                w.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
                WriteCost(w, cost);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e).Status != 0 && !context.Response.HasStarted)
        {
            var (status, type) = Classify(e);
            await WriteErrorAsync(context, status, type, e.Message).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(path);
        }
    }

    private static async Task HandleImageAsync(HttpContext context, MediaQuery query, MediaJob job)
    {
        try
        {
            using var buffer = new MemoryStream();
            await MediaUpload.CopyAsync(context.Request, buffer, query.Settings.MaxImageUploadBytes, context.RequestAborted).ConfigureAwait(false);
            if (!await job.StartAsync().ConfigureAwait(false))
            {
                return;
            }

            var cancellationToken = job.Token;
            var image = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

            var options = query.Settings.ImageOptions(query.Settings.ImageTimeBudgetMs, query.MaxLongEdge);
            var rewrite = await ImageOptimizer.OptimizeAsync(image, query.Provider, options, null, cancellationToken).ConfigureAwait(false);
            switch (rewrite.Outcome)
            {
                case ImageRewriteOutcome.UnsupportedFormat:
                    await WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "invalid_request_error", "The upload is not a PNG, JPEG, GIF or WebP image.").ConfigureAwait(false);
                    return;
                case ImageRewriteOutcome.OverPixelBudget or ImageRewriteOutcome.EncodeFailed:
                    await WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "invalid_request_error", "The image was refused: " + rewrite.Reason + ".").ConfigureAwait(false);
                    return;
                case ImageRewriteOutcome.TimedOut:
                    // The abandoned decode stops at its next cancellation check; until then it keeps its slot.
                    job.Hold(rewrite.Completion);
                    await WriteErrorAsync(context, StatusCodes.Status504GatewayTimeout, "timeout_error", "The image was not processed: " + rewrite.Reason + " (Headroom:Media:ImageTimeBudgetMs).").ConfigureAwait(false);
                    return;
            }

            var cost = MediaCostEstimator.ForImage(rewrite, query.Price?.Input);
            var bytes = rewrite.Replaced ? rewrite.Bytes : image;
            await WriteJsonAsync(context, StatusCodes.Status200OK, w =>
            {
                WriteHeader(w, query);
                w.WriteBoolean("changed", rewrite.Replaced);
                w.WriteString("outcome", rewrite.Outcome.ToString());
                w.WriteString("reason", rewrite.Reason);
                w.WriteString("mediaType", rewrite.MediaType);
                w.WriteNumber("originalWidth", rewrite.OriginalSize.Width);
                w.WriteNumber("originalHeight", rewrite.OriginalSize.Height);
                w.WriteNumber("width", rewrite.Size.Width);
                w.WriteNumber("height", rewrite.Size.Height);
                w.WriteNumber("bytesBefore", rewrite.BytesBefore);
                w.WriteNumber("bytesAfter", rewrite.BytesAfter);
                w.WritePropertyName("content");
                ProviderContent.WriteImageContent(w, bytes.Span, rewrite.MediaType, query.Api);
                WriteCost(w, cost);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e).Status != 0 && !context.Response.HasStarted)
        {
            var (status, type) = Classify(e);
            await WriteErrorAsync(context, status, type, e.Message).ConfigureAwait(false);
        }
    }

    private static bool TryReadQuery(HttpContext context, out MediaQuery query, out string problem)
    {
        query = null!;
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        var settings = MediaSettings.From(configuration);
        var providerText = context.Request.Query["provider"].ToString();
        if (MediaSettings.ParseProvider(providerText) is not { } provider)
        {
            problem = $"Unknown provider '{providerText}': use anthropic or openai.";
            return false;
        }

        var apiText = context.Request.Query["api"].ToString().ToLowerInvariant();
        ContentApi? api = apiText switch
        {
            "" => provider == MediaProvider.OpenAI ? ContentApi.OpenAIChat : ContentApi.AnthropicMessages,
            "messages" or "anthropic" => ContentApi.AnthropicMessages,
            "chat" or "chat.completions" => ContentApi.OpenAIChat,
            "responses" => ContentApi.OpenAIResponses,
            _ => null,
        };
        if (api is null)
        {
            problem = $"Unknown api '{apiText}': use messages, chat or responses.";
            return false;
        }

        var maxLongEdge = ParseInt(context, "maxLongEdge");
        if (maxLongEdge is < 16)
        {
            problem = "maxLongEdge must be at least 16 pixels.";
            return false;
        }

        var model = context.Request.Query["model"].ToString();
        if (string.IsNullOrWhiteSpace(model))
        {
            model = settings.DefaultModel(provider);
        }

        ModelPriceTable prices;
        try
        {
            prices = context.RequestServices.GetService<ModelPriceTable>() ?? ModelPriceTable.FromConfiguration(configuration);
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
            return false;
        }

        query = new MediaQuery(provider, api.Value, model, prices.Find(model), maxLongEdge, settings);
        problem = string.Empty;
        return true;
    }

    private static int? ParseInt(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? ParseDouble(HttpContext context, string name) =>
        double.TryParse(context.Request.Query[name].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static void WriteHeader(Utf8JsonWriter w, MediaQuery query)
    {
        w.WriteString("provider", query.Provider == MediaProvider.OpenAI ? "openai" : "anthropic");
        w.WriteString("api", query.Api switch { ContentApi.OpenAIChat => "chat", ContentApi.OpenAIResponses => "responses", _ => "messages" });
        w.WriteString("model", query.Model);
        w.WriteBoolean("priced", query.Price is not null);
    }

    private static void WriteCost(Utf8JsonWriter w, MediaCostEstimate cost)
    {
        w.WriteNumber("imagesBefore", cost.ImagesBefore);
        w.WriteNumber("imagesAfter", cost.ImagesAfter);
        MediaCostJson.WriteFigures(w, cost);
    }

    /// <summary>Maps expected failures to a status and error type; status 0 lets anything else propagate.</summary>
    private static (int Status, string Type) Classify(Exception e) => e switch
    {
        MediaUploadTooLargeException => (StatusCodes.Status413PayloadTooLarge, "request_too_large"),
        InvalidDataException => (StatusCodes.Status400BadRequest, "invalid_request_error"),
        MediaException { Kind: MediaErrorKind.FfmpegMissing } => (StatusCodes.Status503ServiceUnavailable, "api_error"),
        MediaException { Kind: MediaErrorKind.Timeout } => (StatusCodes.Status504GatewayTimeout, "timeout_error"),
        MediaException => (StatusCodes.Status422UnprocessableEntity, "invalid_request_error"),
        _ => (0, string.Empty),
    };

    internal static Task WriteErrorAsync(HttpContext context, int status, string type, string message) =>
        WriteJsonAsync(context, status, w =>
        {
            w.WriteString("type", "error");
            w.WriteStartObject("error");
            w.WriteString("type", type);
            w.WriteString("message", message);
            w.WriteEndObject();
        }, CancellationToken.None);

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
