using System.Text;
using System.Text.Json;
using Headroom.Gateway.Media;
using Headroom.Gateway.Providers;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Downscales base64 images of the newest turn (after the model's last message) that are larger
/// than the provider can use, before they are forwarded. Like tool outputs, each image is decided
/// once and the same bytes are replayed on every later turn, so the prefix cache holds. Only the
/// image's media type and data change; every other byte of the block stays as sent.
/// </summary>
internal sealed class ImagePlanner : IRequestPlanner
{
    private readonly ReplayCache _replay;
    private readonly ImageOptimizer _optimizer;
    private readonly bool _enabled;

    public ImagePlanner(ReplayCache replay, IConfiguration configuration)
    {
        _replay = replay;
        var settings = MediaSettings.From(configuration);
        _enabled = configuration.GetValue("Headroom:Media:DownscaleImages", true);
        // A request must not wait minutes on one image: 5 s, then the image goes as sent.
        _optimizer = new ImageOptimizer(FfmpegTools.TryLocate(settings.FfmpegOptions with { Timeout = TimeSpan.FromSeconds(5) }));
    }

    public async ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }

        var provider = plan.Api is ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens ? MediaProvider.Anthropic : MediaProvider.OpenAI;
        foreach (var block in plan.Shape.Blocks)
        {
            if (block.Kind != BlockKind.Image || block.Length < 4096 || plan.Overlaps(block.Start, block.End))
            {
                continue;
            }

            var raw = plan.Body[block.Start..block.End];
            var key = "i" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw.Span)[..16]);
            var entry = await _replay.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
            var replayed = entry is not null;
            if (entry is null)
            {
                if (block.Message <= plan.Shape.LastModelMessage)
                {
                    continue; // history the gateway never changed: as sent
                }

                entry = await DecideAsync(raw, provider, cancellationToken).ConfigureAwait(false);
                entry = await _replay.AddAsync(key, entry, cancellationToken).ConfigureAwait(false);
            }

            if (entry.Token is not null)
            {
                plan.Add(new Splice(block.Start, block.End, entry.Token));
                plan.Outcomes.Add(new BlockOutcome
                {
                    Block = block, Compressor = entry.Compressor, TokensBefore = entry.TokensBefore, TokensAfter = entry.TokensAfter, Replayed = replayed,
                });
            }
        }
    }

    private async Task<ReplayEntry> DecideAsync(ReadOnlyMemory<byte> block, MediaProvider provider, CancellationToken cancellationToken)
    {
        if (ImageSource.Find(block.Span) is not { } source)
        {
            return ReplayEntry.AsSent; // a URL or file reference: nothing to shrink here
        }

        var rewrite = await _optimizer.OptimizeBase64Async(source.Base64, source.MediaType, provider, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!rewrite.Replaced || rewrite.ToBase64() is not { } base64)
        {
            return ReplayEntry.AsSent;
        }

        var splices = source.Rewrite(rewrite.MediaType, base64);
        var bytes = Splice.Apply(block.Span, splices);
        return new ReplayEntry(bytes, "image", null, rewrite.TokensBefore, rewrite.TokensAfter, false, []);
    }

    /// <summary>Where a block keeps its base64 image: Anthropic source.media_type + source.data, or an OpenAI data URL.</summary>
    private sealed record ImageSource(string Base64, string? MediaType, (int Start, int End)? MediaTypeToken, (int Start, int End) DataToken, bool DataUrl)
    {
        public static ImageSource? Find(ReadOnlySpan<byte> block)
        {
            try
            {
                var r = new Utf8JsonReader(block);
                (int, int)? mediaType = null, data = null, url = null;
                string? mediaTypeValue = null, dataValue = null, urlValue = null;
                var isBase64 = false;
                while (r.Read())
                {
                    if (r.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    if (r.ValueTextEquals("media_type"u8) && r.Read() && r.TokenType == JsonTokenType.String)
                    {
                        mediaType = JsonRanges.StringToken(ref r);
                        mediaTypeValue = r.GetString();
                    }
                    else if (r.ValueTextEquals("data"u8) && r.Read() && r.TokenType == JsonTokenType.String)
                    {
                        data = JsonRanges.StringToken(ref r);
                        dataValue = r.GetString();
                    }
                    else if ((r.ValueTextEquals("url"u8) || r.ValueTextEquals("image_url"u8)) && r.Read() && r.TokenType == JsonTokenType.String)
                    {
                        url = JsonRanges.StringToken(ref r);
                        urlValue = r.GetString();
                    }
                    else if (r.ValueTextEquals("type"u8) && r.Read() && r.TokenType == JsonTokenType.String && r.ValueTextEquals("base64"u8))
                    {
                        isBase64 = true;
                    }
                }

                if (isBase64 && data is { } d && dataValue is not null)
                {
                    return new ImageSource(dataValue, mediaTypeValue, mediaType, d, false);
                }

                // data:image/png;base64,....
                if (url is { } u && urlValue is not null && urlValue.StartsWith("data:", StringComparison.Ordinal))
                {
                    var comma = urlValue.IndexOf(',', StringComparison.Ordinal);
                    var header = comma > 0 ? urlValue[5..comma] : "";
                    if (header.EndsWith(";base64", StringComparison.Ordinal))
                    {
                        return new ImageSource(urlValue[(comma + 1)..], header[..^7], null, u, true);
                    }
                }
            }
            catch (JsonException)
            {
                // Not a well-formed block: leave it alone.
            }

            return null;
        }

        public List<Splice> Rewrite(string mediaType, string base64)
        {
            var splices = new List<Splice>();
            if (DataUrl)
            {
                splices.Add(new Splice(DataToken.Start, DataToken.End, Encoding.UTF8.GetBytes($"\"data:{mediaType};base64,{base64}\"")));
                return splices;
            }

            if (MediaTypeToken is { } m)
            {
                splices.Add(new Splice(m.Start, m.End, Encoding.UTF8.GetBytes($"\"{mediaType}\"")));
            }

            splices.Add(new Splice(DataToken.Start, DataToken.End, Encoding.UTF8.GetBytes($"\"{base64}\"")));
            splices.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            return splices;
        }
    }
}
