namespace Headroom.Gateway.Caching;

/// <summary>A value in the system prompt or tool definitions that is likely to change between requests.</summary>
/// <param name="Where">"system" or "tool:NAME".</param>
/// <param name="Kind">date, time, uuid, request_id, hex_hash, jwt.</param>
/// <param name="Value">The matched text (JWT-like tokens are shortened).</param>
/// <param name="Offset">Character offset inside the raw JSON of that part.</param>
public sealed record VolatileFinding(string Where, string Kind, string Value, int Offset);
