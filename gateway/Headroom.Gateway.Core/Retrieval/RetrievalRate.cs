namespace Headroom.Gateway.Retrieval;

/// <summary>How often a tool's compressed outputs were retrieved, and the keep factor that follows.</summary>
public sealed record RetrievalRate(string Tool, string Compressor, long Compressed, long Retrieved, double Rate, double KeepFactor);
