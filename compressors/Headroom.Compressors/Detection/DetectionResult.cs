using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Detection;

/// <summary>What a text looks like: the type, how sure (0..1), and for code the language
/// ("csharp", "python", "go", "java", "rust", "typescript", "javascript", "c", "cpp", "shell").</summary>
public sealed record DetectionResult(ContentType Type, double Confidence, string? Language = null);
