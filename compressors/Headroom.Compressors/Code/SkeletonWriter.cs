using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Code;

/// <summary>
/// Applies elisions to a source file: text between them is copied (Kept spans), each elided body
/// becomes one comment line in the language's own syntax carrying a retrieval marker.
/// </summary>
internal static class SkeletonWriter
{
    public static CompressorOutput Write(string input, IReadOnlyList<Elision> elisions, CodeLanguage language, string hash, int totalLines)
    {
        var output = new TrackedOutput(input.Length / 2);
        string comment = CodeLanguages.LineComment(language) + " ";
        bool lossy = false;
        int cursor = 0;
        int docLines = 0;
        foreach (var e in elisions)
        {
            output.Kept(input, cursor, e.Start);
            cursor = e.End;
            lossy = true;
            string what = e.Name is null ? "body" : "body of " + e.Name;
            switch (e.Kind)
            {
                case ElisionKind.DocLines:
                    docLines += e.Lines;
                    if (e.Suffix.Length > 0)
                    {
                        output.Summary(e.Indent + e.Suffix + "\n");
                    }

                    break;
                case ElisionKind.Body:
                    output.Summary(e.Indent + comment);
                    output.Marker(OmissionMarker.Lines(e.Lines, totalLines, what, hash), e.Start, e.End);
                    output.Summary("\n");
                    break;
                case ElisionKind.PythonBodyAfterDoc:
                    if (e.Suffix.Length > 0)
                    {
                        output.Summary(e.Indent + e.Suffix + "\n");
                    }

                    output.Summary(e.Indent + "# ");
                    output.Marker(OmissionMarker.Lines(e.Lines, totalLines, what, hash), e.Start, e.End);
                    output.Summary("\n");
                    break;
                case ElisionKind.PythonBodyEllipsis:
                    output.Summary(e.Indent + "...  # ");
                    output.Marker(OmissionMarker.Lines(e.Lines, totalLines, what, hash), e.Start, e.End);
                    output.Summary("\n");
                    break;
            }
        }

        output.Kept(input, cursor, input.Length);
        if (docLines > 0)
        {
            // Trimmed doc comments are named once, at the end, so nothing is dropped without a marker.
            output.Summary((output.EndsWithNewline ? "" : "\n") + comment);
            output.Marker(OmissionMarker.Lines(docLines, totalLines, "doc comment lines after the first", hash), 0, input.Length);
            output.Summary("\n");
        }

        return output.Build(lossy);
    }
}
