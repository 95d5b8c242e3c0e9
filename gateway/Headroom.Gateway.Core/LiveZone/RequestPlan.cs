using Headroom.Gateway.Providers;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.LiveZone;

/// <summary>What a <see cref="IRequestPlanner"/> sees and adds to.</summary>
public sealed class RequestPlan
{
    private readonly List<Splice> _splices;

    internal RequestPlan(ReadOnlyMemory<byte> body, RequestShape shape, ApiKind api, string sessionId, TenantId tenant, IRequestHeaders headers, List<Splice> splices, List<BlockOutcome> outcomes)
    {
        Outcomes = outcomes;
        Body = body;
        Shape = shape;
        Api = api;
        SessionId = sessionId;
        Tenant = tenant;
        Headers = headers;
        _splices = splices;
    }

    /// <summary>The request as the client sent it.</summary>
    public ReadOnlyMemory<byte> Body { get; }
    public RequestShape Shape { get; }
    public ApiKind Api { get; }
    public string SessionId { get; }
    public TenantId Tenant { get; }
    public IRequestHeaders Headers { get; }

    /// <summary>Splices decided so far (tool-output replacements, the retrieve tool, earlier planners).</summary>
    public IReadOnlyList<Splice> Splices => _splices;

    /// <summary>Per-block outcomes for provenance; a planner that changes a block adds one.</summary>
    public List<BlockOutcome> Outcomes { get; }

    /// <summary>Facts for provenance and telemetry (e.g. a cache verdict), carried to the request record.</summary>
    public Dictionary<string, object?> Annotations { get; } = new(StringComparer.Ordinal);

    public bool Overlaps(int start, int end) =>
        _splices.Exists(s => start < Math.Max(s.End, s.Start + 1) && Math.Max(end, start + 1) > s.Start);

    public void Add(Splice splice)
    {
        if (Overlaps(splice.Start, splice.End))
        {
            throw new InvalidOperationException($"Splice [{splice.Start},{splice.End}) overlaps an earlier one; planners must leave replaced ranges alone.");
        }

        _splices.Add(splice);
    }
}
