using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Caching;

/// <summary>
/// First cache planner: fingerprints the prefix as it will be forwarded (after the live zone's splices),
/// judges it against the session's earlier requests (<see cref="CacheForensics"/>), records the gap and
/// chooses the session's TTL (<see cref="TtlAdvisor"/>) for the breakpoint planner that runs next.
/// The clock is the injected <see cref="TimeProvider"/>, so tests can fake the gaps.
/// </summary>
internal sealed class CacheForensicsPlanner : IRequestPlanner
{
    private readonly CacheSessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly ModelPriceTable _prices;
    private readonly CachingOptions _options;

    public CacheForensicsPlanner(CacheSessionStore sessions, TimeProvider time, ModelPriceTable prices, IOptions<CachingOptions> options)
    {
        _sessions = sessions;
        _time = time;
        _prices = prices;
        _options = options.Value;
    }

    public ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Api is not (ApiKind.AnthropicMessages or ApiKind.OpenAIChat or ApiKind.OpenAIResponses))
        {
            return ValueTask.CompletedTask; // count_tokens is not a cached call
        }

        var notes = CacheNotes.For(plan.Annotations);
        var now = _time.GetUtcNow();
        var anthropic = plan.Api == ApiKind.AnthropicMessages;
        var clientBreakpoints = anthropic && plan.Shape.Blocks.Any(b => b.HasCacheControl);
        var session = _sessions.Get(plan.Tenant.Value, plan.SessionId);
        lock (session.Gate)
        {
            // 1. The gap since the session's previous request (any lineage) feeds the TTL choice.
            if (session.LastAt is { } last && now >= last)
            {
                session.AddGap((now - last).TotalSeconds);
            }

            session.LastAt = now;

            // 2. TTL for the breakpoints the gateway would place (the client's own are theirs: 5 min unless they say).
            var ttl = CacheTtl.FiveMinutes;
            var gatewayBreakpoints = anthropic && !clientBreakpoints && _options.Breakpoints && CachingMode.MayChange(plan);
            if (gatewayBreakpoints && _options.AutoTtl)
            {
                var (chosen, saving) = TtlAdvisor.Choose(session.Gaps, plan.Body.Length / 4, _prices.Find(plan.Shape.Model), _options.MinGapSamples);
                ttl = chosen;
                notes.TtlExpectedSavingUsd = saving;
            }

            session.Ttl = ttl;
            if (gatewayBreakpoints)
            {
                notes.Ttl = ttl == CacheTtl.OneHour ? "1h" : "5m";
            }

            // 3. Forensics against the earlier prefixes.
            if (!_options.Forensics)
            {
                return ValueTask.CompletedTask;
            }

            var fingerprint = PrefixFingerprint.Build(plan.Body.Span, plan.Shape, plan.Splices, now);
            fingerprint.TtlSeconds = !anthropic ? _options.OpenAITtlSeconds : ttl == CacheTtl.OneHour ? TtlAdvisor.OneHour : TtlAdvisor.FiveMinutes;
            session.KeepSystemTexts(fingerprint, plan.Body.Span);
            CacheForensics.Judge(fingerprint, session.Recent, session.SystemTexts, notes);
            session.Remember(fingerprint);
        }

        return ValueTask.CompletedTask;
    }
}
