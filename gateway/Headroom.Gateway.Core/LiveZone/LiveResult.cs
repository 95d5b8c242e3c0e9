namespace Headroom.Gateway.LiveZone;

/// <summary>The outcome of the live-zone pass over one request.</summary>
public sealed record LiveResult
{
    public static LiveResult Unchanged { get; } = new();

    /// <summary>The body to forward, or null to forward the original bytes.</summary>
    public byte[]? Body { get; init; }

    public RequestShape? Shape { get; init; }
    public string? SessionId { get; init; }

    /// <summary>The tenant the request's originals were stored for (a keyless caller's is its conversation's).</summary>
    public Headroom.Provenance.Originals.TenantId? Tenant { get; init; }
    public IReadOnlyList<BlockOutcome> Outcomes { get; init; } = [];

    /// <summary>True when <c>headroom_retrieve</c> was added to the request's tools.</summary>
    public bool RetrieveToolAdded { get; init; }

    /// <summary>Facts planners recorded (cache verdicts, breakpoints placed, ...).</summary>
    public IReadOnlyDictionary<string, object?> Annotations { get; init; } = new Dictionary<string, object?>();

    /// <summary>
    /// Planners that threw, each as "planner: error". A planner's failure drops only what that planner would
    /// have added; compression, replay and the retrieve tool go out as decided.
    /// </summary>
    public IReadOnlyList<string> PlannerFailures { get; init; } = [];

    public int TokensSaved => Outcomes.Sum(o => o.TokensBefore - o.TokensAfter);
}
