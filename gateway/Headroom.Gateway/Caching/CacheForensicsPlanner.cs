using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Caching;

/// <summary>
/// First cache planner: fingerprints the prefix as it will be forwarded (after the live zone's splices),
/// judges it against the session's earlier requests (<see cref="CacheForensics"/>), records the gap and
/// chooses the session's TTL (<see cref="TtlAdvisor"/>) for the breakpoint planner that runs next.
/// The TTL decides bytes the provider caches (the breakpoints' <c>ttl</c>), so it is chosen once per
/// session, when enough gaps were seen, and kept in the shared decision store: every later request,
/// on any replica and under any credential, uses the same one (5 min until then).
/// The clock is the injected <see cref="TimeProvider"/>, so tests can fake the gaps.
/// </summary>
internal sealed class CacheForensicsPlanner : IRequestPlanner
{
    private readonly CacheSessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly ModelPriceTable _prices;
    private readonly CachingOptions _options;
    private readonly ReplayCache _decisions;

    public CacheForensicsPlanner(CacheSessionStore sessions, TimeProvider time, ModelPriceTable prices, ReplayCache decisions, IOptions<CachingOptions> options)
    {
        _decisions = decisions;
        _sessions = sessions;
        _time = time;
        _prices = prices;
        _options = options.Value;
    }

    public async ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Api is not (ApiKind.AnthropicMessages or ApiKind.OpenAIChat or ApiKind.OpenAIResponses or ApiKind.GeminiGenerate or ApiKind.GeminiStream))
        {
            return; // count_tokens is not a cached call
        }

        var notes = CacheNotes.For(plan.Annotations);
        var now = _time.GetUtcNow();
        var anthropic = plan.Api == ApiKind.AnthropicMessages;
        var clientBreakpoints = anthropic && plan.Shape.AnyCacheControl();
        var gatewayBreakpoints = anthropic && !clientBreakpoints && _options.Breakpoints && CachingMode.MayChange(plan);
        var session = _sessions.Get(plan.Tenant.Value, plan.SessionId);
        double[] gaps;
        lock (session.Gate)
        {
            // 1. The gap since the session's previous request (any lineage) feeds the TTL choice.
            if (session.LastAt is { } last && now >= last)
            {
                session.AddGap((now - last).TotalSeconds);
            }

            session.LastAt = now;
            gaps = [.. session.Gaps];
        }

        // 2. TTL for the breakpoints the gateway would place (the client's own are theirs: 5 min unless they say).
        var ttl = CacheTtl.FiveMinutes;
        if (gatewayBreakpoints && _options.AutoTtl)
        {
            ttl = await SessionTtlAsync(plan, gaps, notes, cancellationToken).ConfigureAwait(false);
        }

        lock (session.Gate)
        {
            session.Ttl = ttl;
            if (gatewayBreakpoints)
            {
                notes.Ttl = ttl == CacheTtl.OneHour ? "1h" : "5m";
            }

            // 3. Forensics against the earlier prefixes.
            if (!_options.Forensics)
            {
                return;
            }

            var fingerprint = PrefixFingerprint.Build(plan.Body.Span, plan.Shape, plan.Splices, now);
            fingerprint.TtlSeconds = anthropic ? ttl == CacheTtl.OneHour ? TtlAdvisor.OneHour : TtlAdvisor.FiveMinutes
                : WireProtocols.For(plan.Api)?.Provider == Provider.Gemini ? _options.GeminiTtlSeconds
                : _options.OpenAITtlSeconds;
            session.KeepSystemTexts(fingerprint, plan.Body.Span, _sessions.SystemTexts);
            CacheForensics.Judge(fingerprint, session.Recent, session.SystemTexts, notes);
            _sessions.Charge(session.Remember(fingerprint));
        }
    }

    /// <summary>The session's TTL: the one decided before (here or on another replica), else decided now once enough gaps were seen.</summary>
    private async ValueTask<CacheTtl> SessionTtlAsync(RequestPlan plan, IReadOnlyList<double> gaps, CacheNotes notes, CancellationToken cancellationToken)
    {
        var key = DecisionKeys.ByContent('t', System.Text.Encoding.UTF8.GetBytes(plan.SessionId));
        var decided = await _decisions.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (decided is null && gaps.Count < Math.Max(1, _options.MinGapSamples))
        {
            return CacheTtl.FiveMinutes;
        }

        // What the gaps seen here say (reported either way); the first decision stays.
        var (chosen, saving) = TtlAdvisor.Choose(gaps, plan.Body.Length / 4, _prices.Find(plan.Shape.Model), _options.MinGapSamples);
        notes.TtlExpectedSavingUsd = saving;
        decided ??= await _decisions.AddAsync(key, TtlDecision(chosen), cancellationToken).ConfigureAwait(false);

        return decided.Compressor == OneHourDecision ? CacheTtl.OneHour : CacheTtl.FiveMinutes;
    }

    private const string OneHourDecision = "ttl:1h";

    private static ReplayEntry TtlDecision(CacheTtl ttl) => new([1], ttl == CacheTtl.OneHour ? OneHourDecision : "ttl:5m", null, 0, 0, false, []);
}
