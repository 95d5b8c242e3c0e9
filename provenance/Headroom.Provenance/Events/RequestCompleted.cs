namespace Headroom.Provenance.Events;

/// <summary>
/// One finished request in one event, written once its response is accounted: what the request said
/// (the former <see cref="RequestReceived"/>), the forwarded blocks (<see cref="ContextComposed.Blocks"/>),
/// the upstream's answer (the former <see cref="UpstreamCompleted"/>) and the money and cache verdict
/// (<see cref="Accounting"/>, the former <see cref="RequestAccounted"/>). Retrievals stay events of their own
/// (<see cref="RetrievalServed"/>), recorded while the request runs. Stores written before this event keep
/// the four old ones; every projection and reader handles both.
/// </summary>
/// <remarks>
/// It extends <see cref="ContextComposed"/> so that a reader that only wants the forwarded blocks (the
/// retrieval rates rebuilt at start) reads old and new stores alike. <see cref="ContextComposed.Blocks"/>
/// is empty when the live zone did not see the body (passthrough, non-JSON).
/// </remarks>
public sealed record RequestCompleted : ContextComposed
{
    public string? SessionId { get; init; }

    /// <summary>"anthropic", "openai", ...</summary>
    public required string Provider { get; init; }

    /// <summary>The model the client asked for (else the one that answered).</summary>
    public string? Model { get; init; }

    /// <summary>The route, e.g. "/v1/messages".</summary>
    public string? Route { get; init; }

    /// <summary>The tenant id (a salted hash, never the key).</summary>
    public string? Tenant { get; init; }

    public bool Stream { get; init; }

    public string? Client { get; init; }

    /// <summary>HTTP status returned to the client.</summary>
    public int Status { get; init; }

    public TokenUsage Usage { get; init; } = TokenUsage.Empty;

    /// <summary>The model that answered, when the response said.</summary>
    public string? ResponseModel { get; init; }

    public double TtfbMs { get; init; }

    public double TotalMs { get; init; }

    /// <summary>Time the gateway itself added (parsing, compression, splicing).</summary>
    public double OverheadMs { get; init; }

    /// <summary>
    /// What failed when the client did not get the upstream's answer whole: a gateway-side failure (connect
    /// refused, timeout, reset, body too large) or the error event that ended a stream begun with 200.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>Why compression failed open for this request (the original was forwarded); null when it did not.</summary>
    public string? FailOpen { get; init; }

    /// <summary>Money and cache verdict; null for requests that are not billed model calls (count_tokens): no feed line.</summary>
    public RequestAccounting? Accounting { get; init; }

    /// <summary>The telemetry feed's view of this request, field for field what a <see cref="RequestAccounted"/> event carried.</summary>
    public RequestAccounted? ToAccounted() => Accounting is not { } a ? null : new RequestAccounted
    {
        RequestId = RequestId,
        Timestamp = Timestamp,
        EventId = EventId,
        SessionId = SessionId,
        Provider = Provider,
        Model = ResponseModel ?? Model,
        Status = Status,
        InputTokens = Usage.InputTokens,
        OutputTokens = Usage.OutputTokens,
        CacheReadTokens = Usage.CacheReadTokens,
        CacheWriteTokens = Usage.CacheWrite5mTokens + Usage.CacheWrite1hTokens,
        TokensSaved = a.TokensSaved,
        BilledUsd = a.BilledUsd,
        NoGatewayUsd = a.NoGatewayUsd,
        CompressionSavedUsd = a.CompressionSavedUsd,
        CachingSavedUsd = a.CachingSavedUsd,
        PriceNote = a.PriceNote,
        Verdict = a.Verdict,
        BrokenAt = a.BrokenAt,
        Cause = a.Cause,
        Detail = a.Detail,
        GapSeconds = a.GapSeconds,
        Ttl = a.Ttl,
        TtlExpectedSavingUsd = a.TtlExpectedSavingUsd,
        CacheCheck = a.CacheCheck,
        Retrievals = a.Retrievals,
        OverheadMs = Math.Round(OverheadMs, 3),
        TtfbMs = Math.Round(TtfbMs, 3),
        Error = Error,
        FailOpen = FailOpen,
    };
}
