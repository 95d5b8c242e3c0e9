namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>What the scripted upstream received, byte for byte.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
