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

    public string DefaultModel(MediaProvider provider) => provider == MediaProvider.OpenAI ? DefaultOpenAIModel : DefaultAnthropicModel;

    /// <summary>"anthropic" / "openai" (case-insensitive) to a provider; null when neither.</summary>
    public static MediaProvider? ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "anthropic" or "claude" => MediaProvider.Anthropic,
        "openai" => MediaProvider.OpenAI,
        _ => null,
    };
}
