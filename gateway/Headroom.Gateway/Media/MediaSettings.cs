using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Media;

/// <summary>
/// The <c>Headroom:Media</c> configuration section: where ffmpeg lives, how long it may run, how large an
/// upload may be, and which model prices the estimates when the caller names none.
/// </summary>
internal sealed record MediaSettings
{
    public const string Section = "Headroom:Media";

    public string? FfmpegPath { get; init; }

    public string? FfprobePath { get; init; }

    public double TimeoutSeconds { get; init; } = 600;

    /// <summary>Largest accepted video upload (POST /media/video), bytes.</summary>
    public long MaxUploadBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Largest accepted image upload (POST /media/image), bytes.</summary>
    public long MaxImageUploadBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Media jobs (ffmpeg runs, image decodes) at once, /media/* and the live zone together.</summary>
    public int MaxConcurrent { get; init; } = 2;

    /// <summary>How long a /media/* request waits for a free slot before it gets 429.</summary>
    public double QueueSeconds { get; init; } = 10;

    /// <summary>Time budget of one /media/* request, all its ffmpeg runs included; past it the answer is 504.</summary>
    public double RequestTimeoutSeconds { get; init; } = 300;

    /// <summary>Largest image decoded, in pixels, judged from the header before any decoder runs.</summary>
    public long MaxImagePixels { get; init; } = 40_000_000;

    /// <summary>Time budget to decode, resize and encode one image on /media/image.</summary>
    public int ImageTimeBudgetMs { get; init; } = 5000;

    /// <summary>Time budget for one image inside a model request; past it the image is forwarded as sent.</summary>
    public int LiveImageTimeBudgetMs { get; init; } = 2000;

    /// <summary><c>Headroom:Media:DownscaleImages</c>: false leaves every image of model requests as sent.</summary>
    public bool DownscaleImages { get; init; } = true;

    public string DefaultAnthropicModel { get; init; } = "claude-sonnet-4-5";

    public string DefaultOpenAIModel { get; init; } = "gpt-4.1";

    public static MediaSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var defaults = new MediaSettings();
        return new MediaSettings
        {
            FfmpegPath = section["FfmpegPath"],
            FfprobePath = section["FfprobePath"],
            TimeoutSeconds = section.GetValue("TimeoutSeconds", defaults.TimeoutSeconds),
            MaxUploadBytes = section.GetValue("MaxUploadBytes", defaults.MaxUploadBytes),
            MaxImageUploadBytes = section.GetValue("MaxImageUploadBytes", defaults.MaxImageUploadBytes),
            MaxConcurrent = section.GetValue("MaxConcurrent", defaults.MaxConcurrent),
            QueueSeconds = section.GetValue("QueueSeconds", defaults.QueueSeconds),
            RequestTimeoutSeconds = section.GetValue("RequestTimeoutSeconds", defaults.RequestTimeoutSeconds),
            MaxImagePixels = section.GetValue("MaxImagePixels", defaults.MaxImagePixels),
            ImageTimeBudgetMs = section.GetValue("ImageTimeBudgetMs", defaults.ImageTimeBudgetMs),
            LiveImageTimeBudgetMs = section.GetValue("LiveImageTimeBudgetMs", defaults.LiveImageTimeBudgetMs),
            DownscaleImages = section.GetValue("DownscaleImages", defaults.DownscaleImages),
            DefaultAnthropicModel = section["DefaultAnthropicModel"] ?? defaults.DefaultAnthropicModel,
            DefaultOpenAIModel = section["DefaultOpenAIModel"] ?? defaults.DefaultOpenAIModel,
        };
    }

    public FfmpegOptions FfmpegOptions => new()
    {
        FfmpegPath = FfmpegPath,
        FfprobePath = FfprobePath,
        Timeout = TimeSpan.FromSeconds(TimeoutSeconds > 0 ? TimeoutSeconds : 600),
    };

    /// <summary>The image options these settings ask for (pixel budget, time budget, size limit).</summary>
    public ImageOptimizerOptions ImageOptions(int timeBudgetMs, int? maxLongEdge = null) => ImageOptimizerOptions.Default with
    {
        MaxLongEdge = maxLongEdge,
        MaxInputBytes = MaxImageUploadBytes,
        MaxPixels = MaxImagePixels > 0 ? MaxImagePixels : ImageOptimizerOptions.Default.MaxPixels,
        TimeBudget = TimeSpan.FromMilliseconds(timeBudgetMs > 0 ? timeBudgetMs : ImageOptimizerOptions.Default.TimeBudget.TotalMilliseconds),
    };

    public string DefaultModel(MediaProvider provider) => provider == MediaProvider.OpenAI ? DefaultOpenAIModel : DefaultAnthropicModel;

    /// <summary>"anthropic" / "openai" (case-insensitive) to a provider; null when neither.</summary>
    public static MediaProvider? ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "anthropic" or "claude" => MediaProvider.Anthropic,
        "openai" => MediaProvider.OpenAI,
        _ => null,
    };
}
