namespace Headroom.Provenance.Events;

/// <summary>A client request reached the gateway.</summary>
public sealed record RequestReceived : ProvenanceEvent
{
    public string? SessionId { get; init; }

    /// <summary>"anthropic", "openai", ...</summary>
    public required string Provider { get; init; }

    public string? Model { get; init; }

    /// <summary>The route, e.g. "/v1/messages".</summary>
    public string? Route { get; init; }

    /// <summary>The tenant id (a salted hash, never the key).</summary>
    public string? Tenant { get; init; }

    public bool Stream { get; init; }

    public string? Client { get; init; }
}
