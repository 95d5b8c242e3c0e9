using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Providers;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>
/// OpenAI Chat and Responses:
/// 1. a <c>prompt_cache_key</c> when the client sent none: a stable hash of model + instructions/system +
///    tools, so requests sharing that prefix are routed to the same cache (a client's own key is left alone);
/// 2. Chat streams: <c>stream_options.include_usage</c> so the gateway can account for the call; when the
///    client had not asked, the extra usage chunk is stripped from its stream (<see cref="UsageChunkFilterStream"/>).
/// Both are insertions (or one literal turned to <c>true</c>); no other byte changes.
/// </summary>
internal sealed class OpenAICachePlanner : IRequestPlanner
{
    private readonly CachingOptions _options;

    public OpenAICachePlanner(IOptions<CachingOptions> options) => _options = options.Value;

    public ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Api is not (ApiKind.OpenAIChat or ApiKind.OpenAIResponses) || !CachingMode.MayChange(plan))
        {
            return ValueTask.CompletedTask;
        }

        var notes = CacheNotes.For(plan.Annotations);
        var body = plan.Body.Span;
        var atRoot = new StringBuilder();
        if (_options.PromptCacheKey && !plan.Shape.HasPromptCacheKey)
        {
            atRoot.Append("\"prompt_cache_key\":\"").Append(Key(body, plan.Shape)).Append("\",");
            notes.PromptCacheKeyInjected = true;
        }

        var probe = plan.Api == ApiKind.OpenAIChat && plan.Shape.Stream && _options.IncludeUsage ? StreamOptionsProbe.Find(body) : default;
        if (plan.Api == ApiKind.OpenAIChat && plan.Shape.Stream && _options.IncludeUsage && !probe.IncludeUsage && probe.RootOpen >= 0)
        {
            Splice? inner = null;
            if (!probe.Present || probe.ValueKind == JsonTokenType.Null)
            {
                if (probe.Present)
                {
                    inner = new Splice(probe.ValueStart, probe.ValueEnd, "{\"include_usage\":true}"u8.ToArray());
                }
                else
                {
                    atRoot.Append("\"stream_options\":{\"include_usage\":true},");
                }
            }
            else if (probe.ValueKind == JsonTokenType.StartObject)
            {
                inner = probe.IncludeUsageStart >= 0
                    ? new Splice(probe.IncludeUsageStart, probe.IncludeUsageEnd, "true"u8.ToArray())
                    : new Splice(probe.ValueStart + 1, probe.ValueStart + 1, (body[(probe.ValueStart + 1)..(probe.ValueEnd - 1)].Trim(" \t\r\n"u8).IsEmpty ? "\"include_usage\":true"u8 : "\"include_usage\":true,"u8).ToArray());
            }

            if ((inner is null && probe.Present && probe.ValueKind is not JsonTokenType.Null) || (inner is { } i && plan.Overlaps(i.Start, i.End)))
            {
                // stream_options of an unexpected shape: leave the request as sent.
            }
            else
            {
                if (inner is { } s)
                {
                    plan.Add(s);
                }

                notes.IncludeUsageInjected = true;
                notes.StripUsageChunk = true;
            }
        }

        if (atRoot.Length > 0)
        {
            // Right after the root's '{' (the root's end may already carry the retrieve tool's insertion).
            var open = probe.RootOpen > 0 ? probe.RootOpen : RootOpen(body);
            if (open >= 0 && !plan.Overlaps(open + 1, open + 1))
            {
                plan.Add(new Splice(open + 1, open + 1, Encoding.UTF8.GetBytes(atRoot.ToString())));
            }
            else
            {
                notes.PromptCacheKeyInjected = false;
                notes.IncludeUsageInjected &= probe.Present;
                notes.StripUsageChunk = notes.IncludeUsageInjected;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>"hr-" + 32 hex of SHA-256(model ∅ system ∅ tools), over the bytes as sent.</summary>
    internal static string Key(ReadOnlySpan<byte> body, RequestShape shape)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(shape.Model ?? ""));
        hash.AppendData([0]);
        if (shape.System is { } system)
        {
            hash.AppendData(body[system.Start..system.End]);
        }

        hash.AppendData([0]);
        if (shape.Tools is { } tools)
        {
            hash.AppendData(body[tools.Start..tools.End]);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return "hr-" + Convert.ToHexStringLower(digest[..16]);
    }

    private static int RootOpen(ReadOnlySpan<byte> body)
    {
        var i = body.IndexOfAnyExcept(" \t\r\n"u8);
        return i >= 0 && body[i] == (byte)'{' ? i : -1;
    }
}
