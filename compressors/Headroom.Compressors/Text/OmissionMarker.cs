using Headroom.Compressors.Markers;

namespace Headroom.Compressors.Text;

/// <summary>
/// Marker helpers for the code, HTML, prose and mixed compressors over the shared
/// <see cref="MarkerFormat"/>: <c>[headroom: N of M lines omitted (what); full text: headroom_retrieve hash=&lt;24 hex&gt;]</c>.
/// </summary>
internal static class OmissionMarker
{
    public static string Lines(int omitted, int total, string what, string hash) =>
        MarkerFormat.Format(omitted, Math.Max(omitted, total), MarkerUnit.Lines, what, hash);

    /// <summary>The request's hash, or (when the caller left it empty or malformed) the first 24 hex of SHA-256 of the UTF-8 input.</summary>
    public static string HashOf(string input, string requestHash) =>
        ContentHash.IsValid(requestHash) ? requestHash : ContentHash.Compute(input);

    /// <summary>Number of lines in <paramref name="text"/> (a trailing newline does not start a new line).</summary>
    public static int CountLines(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        int n = text.Count('\n');
        return text[^1] == '\n' ? n : n + 1;
    }
}
