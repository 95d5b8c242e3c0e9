using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Mixed;

/// <summary>
/// One section of mixed content: [<see cref="Start"/>, <see cref="End"/>) of the source, of one
/// content type. For fenced code the fences stay outside [<see cref="BodyStart"/>, <see cref="BodyEnd"/>),
/// which is what the section's compressor sees.
/// </summary>
internal readonly record struct MixedSection(int Start, int End, ContentType Type, string? Language, int BodyStart, int BodyEnd);
