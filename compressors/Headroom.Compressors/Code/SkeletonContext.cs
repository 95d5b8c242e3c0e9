using Headroom.Compressors.Text;

namespace Headroom.Compressors.Code;

/// <summary>What a skeleton planner consults for every cut: the source, its blanked copy, lines, query, options, and the comment and literal ranges (sorted).</summary>
internal sealed record SkeletonContext(string Input, char[] Blank, LineIndex Index, QueryTerms Query, int MinBodyLines, CodeOptions Options, List<(int Start, int End)> Opaque);
