namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>What the scripted upstream received, byte for byte, and over which protocol (HTTP/1.1, HTTP/2).</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, string Protocol = "HTTP/1.1");
