using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Media;
using Headroom.Gateway.Providers;
using Headroom.Media.Images;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Downscales base64 images of the newest turn (after the model's last message) that are larger
/// than the provider can use, before they are forwarded:
/// 1. nothing new is rewritten when the request says <c>x-headroom-mode: off</c>, or
///    <c>Headroom:Compression:Enabled</c> or <c>Headroom:Media:DownscaleImages</c> is false;
/// 2. like tool outputs, each image is decided once per tenant and the same bytes are replayed on every
///    later turn, so the prefix cache holds (also in mode off: earlier turns stay as they were sent);
/// 3. the work takes a slot of the media limiter (none free: the image goes as sent) and has a time
///    budget (<c>Headroom:Media:LiveImageTimeBudgetMs</c>); an image over the pixel budget is refused
///    from its header;
/// 4. a rewrite is lossy, so the original image is stored in the originals store first, and the
///    outcome names its hash (provenance, <c>/v1/retrieve/{hash}</c>).
/// Only the image's media type and data change; every other byte of the block stays as sent.
/// </summary>
internal sealed class ImagePlanner : IRequestPlanner
{
    private readonly ReplayCache _replay;
    private readonly IOriginalsStore _originals;
    private readonly MediaWorkLimiter _limiter;
    private readonly ImageOptimizerOptions _imageOptions;
    private readonly bool _downscale;
    private readonly bool _compressionEnabled;

    public ImagePlanner(ReplayCache replay, IOriginalsStore originals, MediaWorkLimiter limiter, IConfiguration configuration, IOptions<GatewayOptions> options)
    {
        _replay = replay;
        _originals = originals;
        _limiter = limiter;
        var settings = MediaSettings.From(configuration);
        _downscale = settings.DownscaleImages;
        _compressionEnabled = options.Value.Compression.Enabled;
        _imageOptions = settings.ImageOptions(settings.LiveImageTimeBudgetMs) with { MaxInputBytes = ImageOptimizerOptions.Default.MaxInputBytes };
    }

    public async ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        // 1. The controls.
        if (!_downscale || WireProtocols.For(plan.Api)?.Provider == Provider.Gemini)
        {
            return; // Gemini's inlineData parts are forwarded as sent (no downscaler for their shape yet)
        }

        var mayRewrite = _compressionEnabled && CachingMode.MayChange(plan);
        var provider = plan.Api is ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens ? MediaProvider.Anthropic : MediaProvider.OpenAI;
        var blocks = plan.Shape.Blocks;
        for (var i = 0; i < blocks.Count; i++) // by index: an interface foreach boxes its enumerator, kept across the awaits
        {
            var block = blocks[i];
            if (block.Kind != BlockKind.Image || block.Length < 4096 || plan.Overlaps(block.Start, block.End))
            {
                continue;
            }

            // 2. Replay what was decided the first time this tenant sent this image.
            var raw = plan.Body[block.Start..block.End];
            var key = DecisionKeys.ByTenant('i', plan.Tenant, raw.Span);
            var entry = await _replay.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
            var replayed = entry is not null;
            if (entry is null)
            {
                if (block.Message <= plan.Shape.LastModelMessage || !mayRewrite)
                {
                    continue; // history the gateway never changed, or nothing new may change: as sent
                }

                entry = await DecideAsync(raw, provider, plan.Tenant, cancellationToken).ConfigureAwait(false);
                if (entry is null)
                {
                    continue; // no slot free: as sent, and decided again next time
                }

                entry = await _replay.AddAsync(key, entry, cancellationToken).ConfigureAwait(false);
            }

            if (entry.Token is not null)
            {
                plan.Add(new Splice(block.Start, block.End, entry.Token));
                plan.Outcomes.Add(new BlockOutcome
                {
                    Block = block, Compressor = entry.Compressor, Hash = entry.Hash, TokensBefore = entry.TokensBefore, TokensAfter = entry.TokensAfter, Replayed = replayed,
                });
            }
        }
    }

    /// <summary>The forwarded block, as sent (an entry without token), or null when the media limiter is full.</summary>
    private async Task<ReplayEntry?> DecideAsync(ReadOnlyMemory<byte> block, MediaProvider provider, TenantId tenant, CancellationToken cancellationToken)
    {
        if (ImageSource.Find(block.Span) is not { } source)
        {
            return ReplayEntry.AsSent; // a URL or file reference: nothing to shrink here
        }

        // 3. A slot now or never: a model request does not queue behind media work.
        var slot = await _limiter.TryEnterAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            return null;
        }

        ImageRewrite rewrite;
        try
        {
            rewrite = await ImageOptimizer.OptimizeBase64Async(source.Base64, source.MediaType, provider, _imageOptions, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        slot.ReleaseAfter(rewrite.Completion);
        if (!rewrite.Replaced || rewrite.ToBase64() is not { } base64)
        {
            return ReplayEntry.AsSent;
        }

        // 4. The original first: the rewrite may leave the gateway only once the original is retrievable.
        var original = Convert.FromBase64String(source.Base64);
        var hash = await _originals.PutAsync(tenant, original, cancellationToken).ConfigureAwait(false);
        var splices = source.Rewrite(rewrite.MediaType, base64);
        var bytes = Splice.Apply(block.Span, splices);
        return new ReplayEntry(bytes, "image", hash, rewrite.TokensBefore, rewrite.TokensAfter, true, []);
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
